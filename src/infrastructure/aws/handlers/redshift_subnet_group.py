from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="redshift:subnet-group",
    requires=("redshift:cluster",),  # a cluster's subnet group cannot go: InvalidClusterSubnetGroupStateFault
    linked_requires=("redshift:cluster",),  # discovery links each group to the clusters in it
    description="Redshift cluster subnet groups (never one named default)",
)


class RedshiftSubnetGroupHandler(ListDeleteHandler):
    spec = SPEC
    free_because = "subnet groups have no charge"
    iam_actions = (
        "redshift:DescribeClusterSubnetGroups",
        "redshift:DescribeClusters",
        "redshift:DeleteClusterSubnetGroup",
    )
    list_call, items_key = "describe_cluster_subnet_groups", "ClusterSubnetGroups"
    id_key, name_key = "ClusterSubnetGroupName", "ClusterSubnetGroupName"
    delete_call, delete_param = "delete_cluster_subnet_group", "ClusterSubnetGroupName"  # no batch delete

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        groups = super().discover(location, regions)
        if not groups:
            return groups
        users: dict[str, list[Link]] = {}
        for page in self.client(location).get_paginator("describe_clusters").paginate():
            for cluster in page.get("Clusters", []):
                if name := cluster.get("ClusterSubnetGroupName"):
                    users.setdefault(name, []).append(
                        Link("redshift:cluster", cluster["ClusterIdentifier"], "used by")
                    )
        return [replace(g, links=tuple(users.get(g.id, []))) for g in groups]

    def include(self, item: Mapping[str, Any]) -> bool:
        return item.get("ClusterSubnetGroupName") != "default"

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"vpc": item.get("VpcId")}
