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
    key="elasticache:replication-group",
    transition_seconds=300.0,  # deleting -> gone: several minutes (an estimate)
    description="ElastiCache replication groups (Redis OSS / Valkey), with every node in them",
)


class ElastiCacheReplicationGroupHandler(AwsHandler):
    """A group is deleted with all its member clusters in one call (RetainPrimaryCluster false)
    and without a final backup; AWS answers at once and deletes for minutes after."""

    spec = SPEC
    iam_actions = (
        "elasticache:DescribeReplicationGroups",
        "elasticache:ListTagsForResource",
        "elasticache:DeleteReplicationGroup",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        elasticache = self.client(location)
        found = []
        for page in elasticache.get_paginator("describe_replication_groups").paginate():
            for group in page.get("ReplicationGroups", []):
                found.append(
                    self.resource(
                        location,
                        group["ReplicationGroupId"],
                        name=group["ReplicationGroupId"],
                        tags=arn_tags(elasticache, group.get("ARN")),
                        created_at=group.get("ReplicationGroupCreateTime"),
                        attributes={
                            "status": group.get("Status"),
                            "engine": group.get("Engine"),
                            "node_type": group.get("CacheNodeType"),
                            "members": list(group.get("MemberClusters", [])),
                            "global_datastore": (group.get("GlobalReplicationGroupInfo") or {}).get(
                                "GlobalReplicationGroupId"
                            ),
                        },
                    )
                )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Node hours of every member cluster (one node each). Backups beyond the free one and
        data transfer are billed per use: not estimated."""
        attributes = resource.attributes
        members = attributes.get("members")
        nodes = len(members) if isinstance(members, list) else None
        return (node_usage(attributes.get("engine"), attributes.get("node_type"), nodes),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        elasticache = self.client(location)

        def delete(group: Resource) -> ResourceOutcome:  # no batch API
            if group.attributes.get("status") == "deleting":
                return pending(group.id, "deleting")
            if datastore := group.attributes.get("global_datastore"):  # AWS refuses a member
                message = f"member of global datastore {datastore}: remove it from the datastore first"
                return ResourceOutcome(group.id, OutcomeKind.BLOCKED, message)
            elasticache.delete_replication_group(ReplicationGroupId=group.id, RetainPrimaryCluster=False)
            return pending(group.id, "deleting")

        return each(resources, delete, "elasticache:DeleteReplicationGroup")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        elasticache = self.client(location)

        def check(group: Resource) -> ResourceOutcome:
            try:
                reply = elasticache.describe_replication_groups(ReplicationGroupId=group.id)
            except ClientError as error:
                if outcome(group.id, error).kind is OutcomeKind.GONE:
                    return done(group.id)
                raise
            statuses = [g.get("Status") for g in reply.get("ReplicationGroups", [])]
            return pending(group.id, str(statuses[0])) if statuses else done(group.id)

        return [check(group) for group in resources]
