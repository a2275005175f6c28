from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.domain.safety import SAFETY_COPY
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, tag_dict
from costzero.infrastructure.aws.handler_kit.rds import REDSHIFT_FINAL_MARK

ACTION = "redshift:BatchDeleteClusterSnapshots"
BATCH = 100  # BatchDeleteClusterSnapshots takes up to 100 identifiers
SPEC = ResourceTypeSpec(
    key="redshift:snapshot",
    delete_batch_size=BATCH,
    description="Redshift manual snapshots the account owns (automated ones expire with AWS's retention)",
)


class RedshiftSnapshotHandler(AwsHandler):
    """Manual snapshots only (automated ones cannot be deleted: AWS expires them), and only those
    the account owns (a snapshot shared by another account is listed too, but is not ours).
    Deleted in batches of 100; each identifier the batch refuses is settled by its error code.
    The final snapshots costzero kept (`<cluster>-costzero-final-<time>`) are its safety copies:
    a destroy keeps them unless `--disable-protection redshift:snapshot`."""

    spec = SPEC
    iam_actions = ("redshift:DescribeClusterSnapshots", "redshift:BatchDeleteClusterSnapshots")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        pages = (
            self.client(location).get_paginator("describe_cluster_snapshots").paginate(SnapshotType="manual")
        )
        for page in pages:
            for snapshot in page.get("Snapshots", []):
                owner = snapshot.get("OwnerAccount")
                if snapshot.get("SnapshotType") != "manual" or (owner and owner != location.account):
                    continue
                found.append(
                    self.resource(
                        location,
                        snapshot["SnapshotIdentifier"],
                        name=snapshot["SnapshotIdentifier"],
                        tags=tag_dict(snapshot.get("Tags")),
                        created_at=snapshot.get("SnapshotCreateTime"),
                        attributes={
                            "cluster": snapshot.get("ClusterIdentifier"),
                            "status": snapshot.get("Status"),
                            "size_mb": snapshot.get("TotalBackupSizeInMegaBytes"),
                            **_safety_copy(snapshot),
                        },
                    )
                )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Backup storage, billed per GB-month on the blocks no other snapshot (or the free
        allowance of automated backups) already covers: not readable per snapshot, so unknown."""
        size = resource.attributes.get("size_mb")
        note = f"{size} MB in total; billed on blocks shared with other snapshots, not estimated"
        return (Usage("AmazonRedshift", "PaidSnapshotStorage", "GB-Mo", None, CostPart.STORAGE, True, note),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        redshift = self.client(location)
        outcomes: list[ResourceOutcome] = []
        for batch in chunked(list(resources), BATCH):
            try:
                reply = redshift.batch_delete_cluster_snapshots(Identifiers=[_identifier(r) for r in batch])
            except ClientError as error:
                outcomes.extend(outcome(r.id, error, ACTION) for r in batch)
                continue
            refused = {e.get("SnapshotIdentifier"): e for e in reply.get("Errors", [])}
            outcomes.extend(_refused(r.id, refused[r.id]) if r.id in refused else done(r.id) for r in batch)
        return outcomes


def _safety_copy(snapshot: Mapping[str, Any]) -> dict[str, str]:
    """The final snapshot costzero asked for when it deleted the cluster (by its name), kept by a
    later destroy unless `--disable-protection redshift:snapshot`."""
    if REDSHIFT_FINAL_MARK not in snapshot["SnapshotIdentifier"]:
        return {}
    return {SAFETY_COPY: f"final snapshot costzero kept of {snapshot.get('ClusterIdentifier')}"}


def _identifier(snapshot: Resource) -> dict[str, str]:
    cluster = snapshot.attributes.get("cluster")
    return {"SnapshotIdentifier": snapshot.id, **({"SnapshotClusterIdentifier": cluster} if cluster else {})}


def _refused(snapshot_id: str, error: Mapping[str, Any]) -> ResourceOutcome:
    """One identifier the batch refused, settled by the error table like a single call's error
    (ClusterSnapshotNotFound: gone; InvalidClusterSnapshotState, still being created: not yet)."""
    reply: Any = {"Error": {"Code": error.get("FailureCode", ""), "Message": error.get("FailureReason", "")}}
    return outcome(snapshot_id, ClientError(reply, "BatchDeleteClusterSnapshots"), ACTION)
