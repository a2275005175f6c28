"""What the RDS handlers share: final snapshots, deletion protection, and RDS's ambiguous error codes.

Final snapshots. A destroyed DB instance or cluster keeps a final snapshot unless the user set
`skip_final_snapshot`: it is named `costzero-final-<id>-<UTC timestamp>` and, once AWS has made it,
tagged `costzero:final-snapshot=true`. The snapshot handlers (rds:db-snapshot, rds:db-cluster-snapshot)
discover such snapshots, so that `cost` shows what they bill, but a destroy answers PROTECTED for them
without any call unless the user names the snapshot type in `--disable-protection`: a second destroy
never deletes the safety copy the first one kept, and never loops on it (no new snapshot is made).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import pending

FINAL_PREFIX = "costzero-final-"
FINAL_TAG_KEY, FINAL_TAG_VALUE = "costzero:final-snapshot", "true"
RDS = "AmazonRDS"


def final_snapshot_name(resource_id: str, now: datetime | None = None) -> str:
    """`costzero-final-<id>-<YYYYmmddHHMMSS>` (UTC): letters, digits and single hyphens, as AWS asks."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    return f"{FINAL_PREFIX}{resource_id}-{stamp}"


def is_final_snapshot(identifier: str, tags: Mapping[str, str] | None) -> bool:
    """A final snapshot costzero kept: by its tag, or by its name (tagging is best effort)."""
    return (tags or {}).get(FINAL_TAG_KEY) == FINAL_TAG_VALUE or identifier.startswith(FINAL_PREFIX)


def protected(resource_id: str, type_key: str, what: str = "deletion protection on") -> ResourceOutcome:
    return ResourceOutcome(
        resource_id, OutcomeKind.PROTECTED, f"{what}; --disable-protection {type_key} to delete it"
    )


def delete_errors(type_key: str) -> Callable[[str, ClientError, str], ResourceOutcome]:
    """The error table, except for two answers whose code says too little. RDS refuses a protected
    resource with InvalidParameterCombination (the table's "not yet": other combinations settle
    with time), and a second delete of one already being deleted with an "invalid state" code."""

    def on_error(resource_id: str, error: ClientError, operation: str) -> ResourceOutcome:
        code, message = error_code(error), error_message(error)
        if code == "InvalidParameterCombination" and "protect" in message.lower():
            return protected(resource_id, type_key)
        if code.startswith("Invalid") and "being deleted" in message:
            return pending(resource_id, "deleting")
        return outcome(resource_id, error, operation)

    return on_error


def tag_final_snapshots(rds: Any, source_id: str, cluster: bool) -> None:
    """Tag the final snapshots costzero asked for when deleting `source_id` (best effort: the name
    already marks them)."""
    try:
        if cluster:
            pages = rds.get_paginator("describe_db_cluster_snapshots").paginate(
                DBClusterIdentifier=source_id, SnapshotType="manual"
            )
            snapshots = [s for page in pages for s in page["DBClusterSnapshots"]]
            arn_key, id_key = "DBClusterSnapshotArn", "DBClusterSnapshotIdentifier"
        else:
            pages = rds.get_paginator("describe_db_snapshots").paginate(
                DBInstanceIdentifier=source_id, SnapshotType="manual"
            )
            snapshots = [s for page in pages for s in page["DBSnapshots"]]
            arn_key, id_key = "DBSnapshotArn", "DBSnapshotIdentifier"
        for snapshot in snapshots:
            if str(snapshot[id_key]).startswith(f"{FINAL_PREFIX}{source_id}-") and snapshot.get(arn_key):
                rds.add_tags_to_resource(
                    ResourceName=snapshot[arn_key], Tags=[{"Key": FINAL_TAG_KEY, "Value": FINAL_TAG_VALUE}]
                )
    except (ClientError, BotoCoreError):
        return
