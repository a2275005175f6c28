from __future__ import annotations

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

    def usage_type(self, resource: Resource) -> str:
        """Aurora snapshots bill Aurora:BackupUsage; Multi-AZ DB cluster snapshots (mysql, postgres)
        are RDS backup storage."""
        aurora = str(resource.attributes.get("engine") or "").startswith("aurora")
        return self.backup_usage if aurora else "RDS:ChargedBackupUsage"
