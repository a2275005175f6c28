from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from costzero.domain.costing import Usage
from costzero.domain.resources import Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.rds import RdsSnapshotHandler

SPEC = ResourceTypeSpec(
    key="rds:db-cluster-snapshot",
    description=(
        "RDS manual DB cluster snapshots (never automated ones); final snapshots costzero kept stay"
        " unless --disable-protection rds:db-cluster-snapshot"
    ),
)


class RdsDbClusterSnapshotHandler(RdsSnapshotHandler):
    spec = SPEC
    list_call, items_key = "describe_db_cluster_snapshots", "DBClusterSnapshots"
    id_key, source_key = "DBClusterSnapshotIdentifier", "DBClusterIdentifier"
    delete_call, delete_param = "delete_db_cluster_snapshot", "DBClusterSnapshotIdentifier"
    backup_usage = "Aurora:BackupUsage"
    iam_actions = ("rds:DescribeDBClusterSnapshots", "rds:DeleteDBClusterSnapshot")

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """An Aurora cluster volume has no provisioned size (it grows with the data), so a snapshot's
        AllocatedStorage says nothing of what it holds: its storage stays unknown rather than
        priced from a number that is not its size."""
        usages = super().usage(resource)
        if _aurora(resource):
            note = "size not reported for Aurora snapshots"
            return tuple(replace(u, quantity=None, note=note) for u in usages)
        return usages

    def usage_type(self, resource: Resource) -> str:
        """Aurora snapshots bill Aurora:BackupUsage; Multi-AZ DB cluster snapshots (mysql, postgres)
        are RDS backup storage."""
        return self.backup_usage if _aurora(resource) else "RDS:ChargedBackupUsage"


def _aurora(resource: Resource) -> bool:
    return str(resource.attributes.get("engine") or "").startswith("aurora")
