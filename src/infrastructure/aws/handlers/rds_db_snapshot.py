from __future__ import annotations

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.rds import RdsSnapshotHandler

SPEC = ResourceTypeSpec(
    key="rds:db-snapshot",
    description=(
        "RDS manual DB snapshots (never automated ones); final snapshots costzero kept stay unless"
        " --disable-protection rds:db-snapshot"
    ),
)


class RdsDbSnapshotHandler(RdsSnapshotHandler):
    spec = SPEC
    list_call, items_key = "describe_db_snapshots", "DBSnapshots"
    id_key, source_key = "DBSnapshotIdentifier", "DBInstanceIdentifier"
    delete_call, delete_param = "delete_db_snapshot", "DBSnapshotIdentifier"
    backup_usage = "RDS:ChargedBackupUsage"
    iam_actions = ("rds:DescribeDBSnapshots", "rds:DeleteDBSnapshot")
