from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="redshift:subnet-group",
    requires=("redshift:cluster",),  # a cluster's subnet group cannot go: InvalidClusterSubnetGroupStateFault
    description="Redshift cluster subnet groups (never one named default)",
)


class RedshiftSubnetGroupHandler(ListDeleteHandler):
    spec = SPEC
    free_because = "subnet groups have no charge"
    iam_actions = ("redshift:DescribeClusterSubnetGroups", "redshift:DeleteClusterSubnetGroup")
    list_call, items_key = "describe_cluster_subnet_groups", "ClusterSubnetGroups"
    id_key, name_key = "ClusterSubnetGroupName", "ClusterSubnetGroupName"
    delete_call, delete_param = "delete_cluster_subnet_group", "ClusterSubnetGroupName"  # no batch delete

    def include(self, item: Mapping[str, Any]) -> bool:
        return item.get("ClusterSubnetGroupName") != "default"

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"vpc": item.get("VpcId")}
