from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, read_all_tags

PENDING_WINDOW_DAYS = 7  # AWS's shortest waiting period (7 to 30 days)
DELETABLE_STATES = ("Enabled", "Disabled")  # not PendingDeletion, PendingImport, Unavailable, Creating

SPEC = ResourceTypeSpec(
    key="kms:key",
    # whatever this run deletes that a key may encrypt goes first: deleting (or snapshotting, for
    # a final snapshot) encrypted data needs its key usable, and what is kept is not affected
    requires=(
        "secretsmanager:secret",  # encrypted with a key; recoverable for 7 days, as the key is
        "ec2:instance",  # its encrypted volumes
        "ec2:volume",  # encrypted volumes
        "ec2:snapshot",  # encrypted snapshots
        "ec2:image",  # AMIs backed by encrypted snapshots
        "rds:db-instance",  # encrypted storage; a final snapshot is encrypted with the key
        "rds:db-cluster",  # likewise
        "dynamodb:table",  # tables encrypted with a customer-managed key
        "s3:bucket",  # SSE-KMS objects
        "kinesis:stream",  # server-side encryption
        "lambda:function",  # encrypted environment variables
        "sagemaker:notebook-instance",  # its encrypted ML storage volume
        "sagemaker:endpoint",  # encrypted instance storage
        "eks:nodegroup",  # encrypted node volumes
        "cloudformation:stack",  # its resources may be encrypted with the key, and are deleted by it
    ),
    description=f"Customer-managed KMS keys (scheduled for deletion after {PENDING_WINDOW_DAYS} days)",
)


class KmsKeyHandler(AwsHandler):
    """Customer-managed keys that are enabled or disabled: their aliases are deleted and the key
    is scheduled for deletion with the shortest waiting period; until then CancelKeyDeletion
    brings it back (disabled). AWS-managed keys (aws/s3, aws/ebs ...) are never listed.

    A key still encrypting data (volumes, snapshots, tables, buckets) makes that data unreadable
    once it is deleted: the requires below order the key after what this run deletes."""

    spec = SPEC
    iam_actions = (
        "kms:ListKeys",
        "kms:DescribeKey",
        "kms:ListResourceTags",
        "kms:ListAliases",
        "kms:DeleteAlias",
        "kms:ScheduleKeyDeletion",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        kms = self.client(location)
        keys = []
        for page in kms.get_paginator("list_keys").paginate():
            for entry in page["Keys"]:
                metadata = kms.describe_key(KeyId=entry["KeyId"])["KeyMetadata"]
                if metadata.get("KeyManager") == "CUSTOMER" and metadata.get("KeyState") in DELETABLE_STATES:
                    keys.append(metadata)
        aliases: dict[str, list[str]] = defaultdict(list)
        for page in kms.get_paginator("list_aliases").paginate():
            for alias in page["Aliases"]:
                if alias.get("TargetKeyId"):
                    aliases[alias["TargetKeyId"]].append(alias["AliasName"])
        # ListResourceTags answers TagKey/TagValue, not Key/Value; 50 tags at most: one page
        tags = read_all_tags(
            lambda key_id: {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key_id)["Tags"]},
            [(k["KeyId"],) for k in keys],
        )
        return [
            self.resource(
                location,
                key["KeyId"],
                name=next(iter(aliases.get(key["KeyId"], [])), None),
                tags=key_tags,
                created_at=key.get("CreationDate"),
                attributes={
                    "state": key.get("KeyState"),
                    "aliases": aliases.get(key["KeyId"], []),
                    "multi_region": key.get("MultiRegion", False),
                },
            )
            for key, key_tags in zip(keys, tags, strict=True)
        ]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """$1 per key-month, enabled or disabled; each of its first two automatic rotations adds
        $1 (not read: rotation is not discovered). Requests bill per use."""
        return (Usage("awskms", "KMS-Keys", "Keys", 1.0, CostPart.STORAGE, monthly=True, note="1 key"),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        kms = self.client(location)

        def delete(key: Resource) -> ResourceOutcome:
            try:
                for alias in key.attributes.get("aliases") or ():
                    _delete_alias(kms, alias)
                kms.schedule_key_deletion(KeyId=key.id, PendingWindowInDays=PENDING_WINDOW_DAYS)
            except ClientError as error:
                if error_code(error) == "KMSInvalidStateException" and _state(kms, key.id) in (
                    "PendingDeletion",
                    "PendingReplicaDeletion",
                ):
                    return done(key.id, "already scheduled for deletion")
                return outcome(key.id, error, "kms:ScheduleKeyDeletion")
            return done(
                key.id,
                f"scheduled for deletion in {PENDING_WINDOW_DAYS} days; until then `aws kms "
                "cancel-key-deletion` brings it back",
            )

        return each(resources, delete, "kms:ScheduleKeyDeletion")


def _delete_alias(kms: Any, alias: str) -> None:
    try:
        kms.delete_alias(AliasName=alias)
    except ClientError as error:
        if error_code(error) != "NotFoundException":  # deleted meanwhile
            raise


def _state(kms: Any, key_id: str) -> str:
    return str(kms.describe_key(KeyId=key_id)["KeyMetadata"].get("KeyState", ""))
