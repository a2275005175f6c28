from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.elasticache import arn_tags
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="elasticache:subnet-group",
    requires=(
        "elasticache:replication-group",  # a group's clusters live in it: CacheSubnetGroupInUse
        "elasticache:cache-cluster",  # likewise a standalone cluster
    ),
    # discovery links each group to the clusters in it (a member cluster: to its replication group)
    linked_requires=("elasticache:replication-group", "elasticache:cache-cluster"),
    description="ElastiCache subnet groups (never the one named default)",
)


class ElastiCacheSubnetGroupHandler(ListDeleteHandler):
    spec = SPEC
    free_because = "subnet groups have no charge"
    iam_actions = (
        "elasticache:DescribeCacheSubnetGroups",
        "elasticache:DescribeCacheClusters",
        "elasticache:ListTagsForResource",
        "elasticache:DeleteCacheSubnetGroup",
    )
    list_call, items_key = "describe_cache_subnet_groups", "CacheSubnetGroups"
    id_key, name_key = "CacheSubnetGroupName", "CacheSubnetGroupName"
    delete_call, delete_param = "delete_cache_subnet_group", "CacheSubnetGroupName"  # no batch delete

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        groups = super().discover(location, regions)
        if not groups:
            return groups
        users: dict[str, list[Link]] = {}
        for page in self.client(location).get_paginator("describe_cache_clusters").paginate():
            for cluster in page.get("CacheClusters", []):
                if (name := cluster.get("CacheSubnetGroupName")) and cluster.get(
                    "CacheClusterStatus"
                ) != "deleted":
                    users.setdefault(name, []).append(_user(cluster))
        return [replace(g, links=tuple(dict.fromkeys(users.get(g.id, [])))) for g in groups]

    def include(self, item: Mapping[str, Any]) -> bool:
        return item.get("CacheSubnetGroupName") != "default"  # AWS's own; it cannot be deleted

    def tags(self, location: Location, items: Sequence[Mapping[str, Any]]) -> list[dict[str, str] | None]:
        elasticache = self.client(location)
        return [arn_tags(elasticache, item.get("ARN")) for item in items]

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"vpc": item.get("VpcId")}


def _user(cluster: Mapping[str, Any]) -> Link:
    """What must go before the subnet group can: a member cluster goes with its replication group."""
    if group := cluster.get("ReplicationGroupId"):
        return Link("elasticache:replication-group", str(group), "used by")
    return Link("elasticache:cache-cluster", str(cluster["CacheClusterId"]), "used by")
