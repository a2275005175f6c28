from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_all_tags

SPEC = ResourceTypeSpec(
    key="logs:log-group",
    # a Lambda function writes to /aws/lambda/<name> and creates that group again on its next
    # invocation: the functions go first, so that a deleted group stays deleted
    requires=("lambda:function",),
    description="CloudWatch Logs log groups (their stored log events are deleted with them)",
)
CLOUDWATCH = "AmazonCloudWatch"  # CloudWatch Logs bills under the CloudWatch service code
GIB = 1024**3
# log class -> the storage usage type (Standard is priced; Infrequent Access is left unknown)
STORAGE = {"STANDARD": "TimedStorage-ByteHrs", "INFREQUENT_ACCESS": "TimedStorage-IA-ByteHrs"}
PROTECTED = "deletion protection on; --disable-protection logs:log-group to delete it"


def _group_tags(logs: Any, arn: str) -> dict[str, str]:
    return dict(logs.list_tags_for_resource(resourceArn=arn).get("tags", {}))


def _arn(group: Mapping[str, Any]) -> str:
    """The log group's ARN without the ":*" of its `arn` field (what the tagging calls take)."""
    return str(group.get("logGroupArn") or str(group["arn"]).removesuffix(":*"))


class LogsLogGroupHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "logs:DescribeLogGroups",
        "logs:ListTagsForResource",
        "logs:PutLogGroupDeletionProtection",
        "logs:DeleteLogGroup",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        logs = self.client(location)
        groups = [
            g for page in logs.get_paginator("describe_log_groups").paginate() for g in page["logGroups"]
        ]
        tags = read_all_tags(_group_tags, [(logs, _arn(g)) for g in groups])
        return [
            self.resource(
                location,
                group["logGroupName"],
                name=group["logGroupName"],
                tags=group_tags,
                attributes={
                    "stored_bytes": group.get("storedBytes"),  # AWS updates it with some delay
                    "log_class": group.get("logGroupClass", "STANDARD"),
                    "retention_days": group.get("retentionInDays"),
                    "deletion_protection": bool(group.get("deletionProtectionEnabled")),
                },
            )
            for group, group_tags in zip(groups, tags, strict=True)
        ]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Archived log events per GB-month, billed while the group holds them (STORAGE).
        Ingestion and Logs Insights queries are billed per use: not standing charges."""
        stored = resource.attributes.get("stored_bytes")
        log_class = str(resource.attributes.get("log_class") or "STANDARD")
        usage_type = STORAGE.get(log_class, f"TimedStorage-{log_class}-ByteHrs")
        quantity = float(stored) / GIB if isinstance(stored, int | float) else None
        note = (
            f"{quantity:.3f} GB stored ({log_class.lower()})"
            if quantity is not None
            else "stored bytes not read"
        )
        return (Usage(CLOUDWATCH, usage_type, "GB-Mo", quantity, CostPart.STORAGE, monthly=True, note=note),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        logs = self.client(location)
        may_disable = self.options.may_disable_protection(self.spec.key)

        def delete(group: Resource) -> ResourceOutcome | None:
            if group.attributes.get("deletion_protection"):
                if not may_disable:
                    return ResourceOutcome(group.id, OutcomeKind.PROTECTED, PROTECTED)
                logs.put_log_group_deletion_protection(
                    logGroupIdentifier=group.id, deletionProtectionEnabled=False
                )
            logs.delete_log_group(logGroupName=group.id)  # gone: ResourceNotFoundException
            return None

        return each(resources, delete, "logs:DeleteLogGroup")
