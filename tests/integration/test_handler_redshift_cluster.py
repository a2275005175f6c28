"""Redshift clusters against the moto server; a cluster AWS refuses mid-change is injected with
botocore's Stubber (moto deletes a cluster in any state)."""

from botocore.stub import ANY

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.redshift_cluster import RedshiftClusterHandler
from tests.integration.stubs import StubbedClients


def create_cluster(seed, name="warehouse", nodes=2, tags=()):
    seed("redshift").create_cluster(
        ClusterIdentifier=name,
        NodeType="dc2.large",
        ClusterType="multi-node" if nodes > 1 else "single-node",
        NumberOfNodes=nodes,
        MasterUsername="admin",
        MasterUserPassword="Secret-123",
        Tags=list(tags),
    )


def test_discovers_prices_and_deletes_a_cluster_keeping_a_final_snapshot(aws, location, seed):
    create_cluster(seed, tags=[{"Key": "team", "Value": "bi"}])
    handler = RedshiftClusterHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "warehouse" and found.tags == {"team": "bi"}
    [hours] = handler.usage(found)
    assert (hours.service, hours.usage_type, hours.unit, hours.quantity) == (
        "AmazonRedshift",
        "Node:dc2.large",
        "Hrs",
        2.0,
    )
    [result] = handler.delete(location, [found])
    assert result.kind is OutcomeKind.PENDING and "final snapshot warehouse-costzero-final-" in result.message
    snapshots = seed("redshift").describe_cluster_snapshots(SnapshotType="manual")["Snapshots"]
    assert [s["SnapshotIdentifier"] for s in snapshots] == [result.message.rsplit(" ", 2)[-2]]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE  # a second delete: gone


def test_skip_final_snapshot_deletes_the_cluster_leaving_no_snapshot(aws, location, seed):
    create_cluster(seed)
    handler = RedshiftClusterHandler(aws, HandlerOptions(skip_final_snapshot=True))
    [found] = handler.discover(location, [])
    [result] = handler.delete(location, [found])
    assert result.kind is OutcomeKind.PENDING and result.message == "deleting, no final snapshot"
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert seed("redshift").describe_cluster_snapshots(SnapshotType="manual")["Snapshots"] == []


def test_skip_final_snapshot_says_so_to_aws():
    """The call AWS receives skips the snapshot and names none (moto accepts either way)."""
    stub = StubbedClients("redshift")
    params = {"ClusterIdentifier": "w", "SkipFinalClusterSnapshot": True}
    stub.reply("delete_cluster", {"Cluster": {"ClusterIdentifier": "w"}}, params)
    cluster = Resource("redshift:cluster", "w", "1", "us-east-1")
    options = HandlerOptions(skip_final_snapshot=True)
    [result] = RedshiftClusterHandler(stub, options).delete(Location("1", "us-east-1"), [cluster])
    stub.stubber.assert_no_pending_responses()
    assert result.kind is OutcomeKind.PENDING


def test_without_skip_final_snapshot_the_final_snapshot_is_asked_for():
    """By default the call names a final snapshot, and says out loud that it is not skipped."""
    stub = StubbedClients("redshift")
    params = {
        "ClusterIdentifier": "w",
        "SkipFinalClusterSnapshot": False,
        "FinalClusterSnapshotIdentifier": ANY,
    }
    stub.reply("delete_cluster", {"Cluster": {"ClusterIdentifier": "w"}}, params)
    cluster = Resource("redshift:cluster", "w", "1", "us-east-1")
    [result] = RedshiftClusterHandler(stub).delete(Location("1", "us-east-1"), [cluster])
    stub.stubber.assert_no_pending_responses()
    assert result.kind is OutcomeKind.PENDING and "final snapshot w-costzero-final-" in result.message


def test_a_paused_cluster_bills_no_node_hours(aws):
    cluster = Resource(
        "redshift:cluster", "w", "1", "us-east-1", attributes={"status": "paused", "node_type": "dc2.large"}
    )
    assert RedshiftClusterHandler(aws).usage(cluster) == ()


def test_a_cluster_mid_change_is_not_yet():
    # moto deletes a cluster that is resizing; AWS answers InvalidClusterState.
    stub = StubbedClients("redshift")
    stub.error("delete_cluster", "InvalidClusterState", "There is an operation running on the Cluster")
    [result] = RedshiftClusterHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("redshift:cluster", "w", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET


def test_a_cluster_still_deleting_is_pending():
    stub = StubbedClients("redshift")
    stub.reply("describe_clusters", {"Clusters": [{"ClusterIdentifier": "w", "ClusterStatus": "deleting"}]})
    [result] = RedshiftClusterHandler(stub).confirm_gone(
        Location("1", "us-east-1"), [Resource("redshift:cluster", "w", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PENDING


def test_a_cluster_taking_its_final_snapshot_is_not_deleted_again():
    stub = StubbedClients("redshift")  # no reply queued: any call would fail the test
    cluster = Resource("redshift:cluster", "w", "1", "us-east-1", attributes={"status": "final-snapshot"})
    [result] = RedshiftClusterHandler(stub).delete(Location("1", "us-east-1"), [cluster])
    assert result.kind is OutcomeKind.PENDING and result.message == "final-snapshot"
