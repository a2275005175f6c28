from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from costzero.domain.costing import CostPart, Usage
from costzero.domain.resources import Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="dynamodb:backup",
    taggable=False,  # DynamoDB tags tables, not backups
    description="DynamoDB on-demand backups (kept when their table is deleted; AWS Backup's are not listed)",
)
GIB = 2**30


class DynamoDbBackupHandler(ListDeleteHandler):
    """On-demand backups the user made (BackupType USER). SYSTEM backups are DynamoDB's own, and
    AWS_BACKUP ones belong to AWS Backup vaults (deleted there, not with DeleteBackup)."""

    spec = SPEC
    list_call, items_key = "list_backups", "BackupSummaries"  # paged
    list_args: ClassVar[Mapping[str, Any]] = {"BackupType": "USER"}
    id_key, name_key, created_key = "BackupArn", "BackupName", "BackupCreationDateTime"
    tags_key = None
    delete_call, delete_param = "delete_backup", "BackupArn"  # no batch delete; BackupInUse -> not yet
    iam_actions = ("dynamodb:ListBackups", "dynamodb:DeleteBackup")

    def include(self, item: Mapping[str, Any]) -> bool:
        return item.get("BackupType", "USER") == "USER" and item.get("BackupStatus") != "DELETED"

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "table": item.get("TableName"),
            "size_bytes": item.get("BackupSizeBytes"),
            "status": item.get("BackupStatus"),
        }

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Backup storage per GB-month, for as long as the backup exists (the table's own storage is
        dynamodb:table's)."""
        size = resource.attributes.get("size_bytes")
        gb = float(size) / GIB if isinstance(size, int | float) else None
        note = "size unknown" if gb is None else f"{gb:.3f} GB"
        return (
            Usage("AmazonDynamoDB", "TimedBackupStorage-ByteHrs", "GB-Mo", gb, CostPart.STORAGE, True, note),
        )
