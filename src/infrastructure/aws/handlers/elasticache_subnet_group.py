from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costzero.domain.resources import Location, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.elasticache import arn_tags
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="elasticache:subnet-group",
    requires=(
        "elasticache:replication-group",  # a group's clusters live in it: CacheSubnetGroupInUse
        "elasticache:cache-cluster",  # likewise a standalone cluster
    ),
    description="ElastiCache subnet groups (never the one named default)",
)


class ElastiCacheSubnetGroupHandler(ListDeleteHandler):
    spec = SPEC
    free_because = "subnet groups have no charge"
    iam_actions = (
        "elasticache:DescribeCacheSubnetGroups",
        "elasticache:ListTagsForResource",
        "elasticache:DeleteCacheSubnetGroup",
    )
    list_call, items_key = "describe_cache_subnet_groups", "CacheSubnetGroups"
    id_key, name_key = "CacheSubnetGroupName", "CacheSubnetGroupName"
    delete_call, delete_param = "delete_cache_subnet_group", "CacheSubnetGroupName"  # no batch delete

    def include(self, item: Mapping[str, Any]) -> bool:
        return item.get("CacheSubnetGroupName") != "default"  # AWS's own; it cannot be deleted

    def tags(self, location: Location, items: Sequence[Mapping[str, Any]]) -> list[dict[str, str] | None]:
        elasticache = self.client(location)
        return [arn_tags(elasticache, item.get("ARN")) for item in items]

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"vpc": item.get("VpcId")}
