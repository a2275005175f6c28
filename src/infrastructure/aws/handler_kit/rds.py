"""What the RDS handlers share: final snapshots, deletion protection, and RDS's ambiguous error codes.

Final snapshots. A destroyed DB instance or cluster keeps a final snapshot unless the user set
`skip_final_snapshot`: it is named `costzero-final-<id>-<UTC timestamp>` and, once AWS has made it,
tagged `costzero:final-snapshot=true`. The snapshot handlers (rds:db-snapshot, rds:db-cluster-snapshot)
discover such snapshots, so that `cost` shows what they bill, but a destroy answers PROTECTED for them
without any call unless the user names the snapshot type in `--disable-protection`: a second destroy
never deletes the safety copy the first one kept, and never loops on it (no new snapshot is made).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource
from costzero.domain.safety import SAFETY_COPY
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import pending, read_all_tags, tag_dict
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

FINAL_PREFIX = "costzero-final-"
REDSHIFT_FINAL_MARK = "-costzero-final-"  # Redshift's: <cluster>-costzero-final-<UTC timestamp>
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
    """The error table, except for three answers whose code says too little. RDS refuses a protected
    resource with InvalidParameterCombination (the table's "not yet": other combinations settle
    with time), a second delete of one already being deleted with an "invalid state" code, and the
    last instance of a global database's primary cluster with one too: that one waits for nothing
    the run does (the global database stays), so it is blocked, not retried."""

    def on_error(resource_id: str, error: ClientError, operation: str) -> ResourceOutcome:
        code, message = error_code(error), error_message(error)
        if code == "InvalidParameterCombination" and "protect" in message.lower():
            return protected(resource_id, type_key)
        if code.startswith("Invalid") and "being deleted" in message:
            return pending(resource_id, "deleting")
        if "last instance of the master cluster" in message.lower():  # a global database's primary
            why = "the writer of a global database's primary cluster: delete the global database first"
            return ResourceOutcome(resource_id, OutcomeKind.BLOCKED, f"{why} ({message})")
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


class RdsSnapshotHandler(ListDeleteHandler):
    """Manual snapshots (DB or cluster): listed with their tags, deleted one at a time (no batch
    API; AWS deletes them within seconds). Automated snapshots belong to their database and go with
    it; shared and AWS Backup snapshots are not listed (SnapshotType "manual"). A final snapshot
    costzero kept is PROTECTED (see the module docstring)."""

    list_args: ClassVar[Mapping[str, Any]] = {"SnapshotType": "manual"}
    tags_key = "TagList"
    created_key = "SnapshotCreateTime"
    backup_usage: ClassVar[str]  # the usage type of its storage

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        final = is_final_snapshot(str(item[self.id_key]), tag_dict(item.get("TagList")))
        source = item.get(self.source_key)
        return {
            "engine": item.get("Engine"),
            "allocated_gib": item.get("AllocatedStorage"),
            "status": item.get("Status"),
            "source": source,
            "final_snapshot": final,
            **({SAFETY_COPY: f"final snapshot costzero kept of {source}"} if final else {}),
        }

    source_key: ClassVar[str]  # the database it was taken of

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        if self.options.may_disable_protection(self.spec.key):
            return super().delete(location, resources)
        kept = {r.id for r in resources if r.attributes.get("final_snapshot")}
        outcomes = {
            o.resource_id: o for o in super().delete(location, [r for r in resources if r.id not in kept])
        }
        for snapshot in kept:
            outcomes[snapshot] = protected(snapshot, self.spec.key, "final snapshot costzero kept")
        return [outcomes[r.id] for r in resources]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Backup storage, per GB-month. AWS bills what the snapshot holds beyond the earlier
        snapshots of the same database (incremental), and nothing while the region's backups fit
        in its databases' provisioned storage (free allowance): the allocated size of the source
        is an upper bound, used here and said so."""
        gib = resource.attributes.get("allocated_gib")
        quantity = float(gib) if isinstance(gib, int | float) else None
        note = (
            "size unknown"
            if quantity is None
            else f"at most {gib} GiB (incremental; free allowance not deducted)"
        )
        usage_type = self.usage_type(resource)
        return (Usage(RDS, usage_type, "GB-Mo", quantity, CostPart.STORAGE, monthly=True, note=note),)

    def usage_type(self, resource: Resource) -> str:
        return self.backup_usage


class RdsGroupHandler(ListDeleteHandler):
    """Subnet, parameter and option groups: listed without tags (read per ARN), deleted one at a
    time by name once nothing uses them (AWS answers an "invalid state" fault meanwhile: not yet).
    AWS's own default groups are never listed."""

    tags_key = None
    arn_key: ClassVar[str]
    default_prefix: ClassVar[str]  # "default." (parameter groups), "default:" (option groups)
    free_because = "groups of settings have no charge"

    def include(self, item: Mapping[str, Any]) -> bool:
        return not str(item[self.id_key]).startswith(self.default_prefix)

    def tags(self, location: Location, items: Sequence[Mapping[str, Any]]) -> list[dict[str, str] | None]:
        rds = self.client(location)
        return read_all_tags(
            lambda arn: rds.list_tags_for_resource(ResourceName=arn)["TagList"],
            [(item.get(self.arn_key),) for item in items],
        )
