from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.costing import Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending
from costzero.infrastructure.aws.handler_kit.elasticache import arn_tags, node_usage

SPEC = ResourceTypeSpec(
    key="elasticache:cache-cluster",
    transition_seconds=300.0,  # deleting -> gone: several minutes (an estimate)
    description="standalone ElastiCache clusters (Memcached, single-node Redis OSS / Valkey)",
)


class ElastiCacheCacheClusterHandler(AwsHandler):
    """Only clusters of no replication group: a member goes with its group
    (elasticache:replication-group), and AWS refuses to delete a member on its own."""

    spec = SPEC
    iam_actions = (
        "elasticache:DescribeCacheClusters",
        "elasticache:ListTagsForResource",
        "elasticache:DeleteCacheCluster",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        elasticache = self.client(location)
        found = []
        for page in elasticache.get_paginator("describe_cache_clusters").paginate():
            for cluster in page.get("CacheClusters", []):
                if cluster.get("ReplicationGroupId"):
                    continue
                found.append(
                    self.resource(
                        location,
                        cluster["CacheClusterId"],
                        name=cluster["CacheClusterId"],
                        tags=arn_tags(elasticache, cluster.get("ARN")),
                        created_at=cluster.get("CacheClusterCreateTime"),
                        attributes={
                            "status": cluster.get("CacheClusterStatus"),
                            "engine": cluster.get("Engine"),
                            "node_type": cluster.get("CacheNodeType"),
                            "nodes": cluster.get("NumCacheNodes"),
                            "subnet_group": cluster.get("CacheSubnetGroupName"),
                        },
                    )
                )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Node hours, one per cache node. Backups and data transfer are billed per use."""
        attributes = resource.attributes
        return (node_usage(attributes.get("engine"), attributes.get("node_type"), attributes.get("nodes")),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        elasticache = self.client(location)

        def delete(cluster: Resource) -> ResourceOutcome:  # no batch API
            if cluster.attributes.get("status") == "deleting":
                return pending(cluster.id, "deleting")
            elasticache.delete_cache_cluster(CacheClusterId=cluster.id)  # no final snapshot
            return pending(cluster.id, "deleting")

        return each(resources, delete, "elasticache:DeleteCacheCluster")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        elasticache = self.client(location)

        def check(cluster: Resource) -> ResourceOutcome:
            try:
                reply = elasticache.describe_cache_clusters(CacheClusterId=cluster.id)
            except ClientError as error:
                if outcome(cluster.id, error).kind is OutcomeKind.GONE:
                    return done(cluster.id)
                raise
            statuses = [c.get("CacheClusterStatus") for c in reply.get("CacheClusters", [])]
            return pending(cluster.id, str(statuses[0])) if statuses else done(cluster.id)

        return [check(cluster) for cluster in resources]
