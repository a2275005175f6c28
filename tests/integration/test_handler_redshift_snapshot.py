"""Redshift manual snapshots: discovery against the moto server; deletion with botocore's Stubber,
since moto has no BatchDeleteClusterSnapshots."""

from datetime import UTC, datetime

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.domain.safety import SAFETY_COPY
from costzero.infrastructure.aws.handlers.redshift_cluster import final_snapshot_id
from costzero.infrastructure.aws.handlers.redshift_snapshot import RedshiftSnapshotHandler
from tests.integration.stubs import StubbedClients
from tests.integration.test_handler_redshift_cluster import create_cluster


def test_discovers_manual_snapshots_only(aws, location, seed):
    create_cluster(seed)
    redshift = seed("redshift")
    redshift.create_cluster_snapshot(
        SnapshotIdentifier="before-upgrade", ClusterIdentifier="warehouse", Tags=[{"Key": "k", "Value": "v"}]
    )
    handler = RedshiftSnapshotHandler(aws)
    found = handler.discover(location, [])
    assert [(s.id, s.tags, s.attributes["cluster"]) for s in found] == [
        ("before-upgrade", {"k": "v"}, "warehouse")
    ]
    [storage] = handler.usage(found[0])
    assert storage.quantity is None and storage.monthly  # billed on shared blocks: unknown


def test_a_snapshot_shared_by_another_account_is_not_ours():
    stub = StubbedClients("redshift")
    shared = {"SnapshotIdentifier": "theirs", "SnapshotType": "manual", "OwnerAccount": "999999999999"}
    ours = {"SnapshotIdentifier": "ours", "SnapshotType": "manual", "OwnerAccount": "1"}
    stub.reply("describe_cluster_snapshots", {"Snapshots": [shared, ours]})
    found = RedshiftSnapshotHandler(stub).discover(Location("1", "us-east-1"), [])
    assert [s.id for s in found] == ["ours"]


def test_deletes_in_one_batch_and_settles_each_refusal():
    # moto has no BatchDeleteClusterSnapshots: Stubber answers as AWS does (deleted ones in
    # Resources, each refused identifier in Errors with its code).
    stub = StubbedClients("redshift")
    reply = {
        "Resources": ["a"],
        "Errors": [
            {
                "SnapshotIdentifier": "b",
                "FailureCode": "InvalidClusterSnapshotState",
                "FailureReason": "creating",
            },
            {
                "SnapshotIdentifier": "c",
                "FailureCode": "ClusterSnapshotNotFound",
                "FailureReason": "not found",
            },
        ],
    }
    identifiers = [
        {"SnapshotIdentifier": "a", "SnapshotClusterIdentifier": "w"},
        {"SnapshotIdentifier": "b"},
        {"SnapshotIdentifier": "c"},
    ]
    stub.reply("batch_delete_cluster_snapshots", reply, {"Identifiers": identifiers})
    snapshots = [
        Resource("redshift:snapshot", "a", "1", "us-east-1", attributes={"cluster": "w"}),
        Resource("redshift:snapshot", "b", "1", "us-east-1"),
        Resource("redshift:snapshot", "c", "1", "us-east-1"),
    ]
    outcomes = RedshiftSnapshotHandler(stub).delete(Location("1", "us-east-1"), snapshots)
    assert [o.kind for o in outcomes] == [OutcomeKind.DONE, OutcomeKind.NOT_YET, OutcomeKind.GONE]


def test_the_final_snapshot_costzero_kept_is_a_safety_copy(aws, location, seed):
    """What the cluster handler names its final snapshot is recognised, so that a destroy keeps it."""
    create_cluster(seed)
    final = final_snapshot_id("warehouse", datetime(2026, 12, 3, tzinfo=UTC))
    seed("redshift").create_cluster_snapshot(SnapshotIdentifier=final, ClusterIdentifier="warehouse")
    seed("redshift").create_cluster_snapshot(SnapshotIdentifier="nightly", ClusterIdentifier="warehouse")
    found = {s.id: s for s in RedshiftSnapshotHandler(aws).discover(location, [])}
    assert found[final].attributes[SAFETY_COPY] == "final snapshot costzero kept of warehouse"
    assert SAFETY_COPY not in found["nightly"].attributes
