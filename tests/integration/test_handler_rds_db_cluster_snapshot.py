from costzero.domain.outcomes import OutcomeKind
from costzero.infrastructure.aws.handlers.rds_db_cluster import RdsDbClusterHandler
from costzero.infrastructure.aws.handlers.rds_db_cluster_snapshot import RdsDbClusterSnapshotHandler


def _cluster(rds, name):
    rds.create_db_cluster(
        DBClusterIdentifier=name,
        Engine="aurora-postgresql",
        MasterUsername="app",
        MasterUserPassword="secret-123",
    )


def test_discovers_and_deletes_manual_cluster_snapshots(aws, location, seed):
    rds = seed("rds")
    _cluster(rds, "ledger")
    rds.create_db_cluster_snapshot(
        DBClusterIdentifier="ledger",
        DBClusterSnapshotIdentifier="monthly",
        Tags=[{"Key": "team", "Value": "a"}],
    )
    handler = RdsDbClusterSnapshotHandler(aws)
    [found] = handler.discover(location, [])
    assert (found.id, found.tags, found.attributes["source"]) == ("monthly", {"team": "a"}, "ledger")
    assert [(u.usage_type, u.quantity) for u in handler.usage(found)] == [("Aurora:BackupUsage", None)]
    assert handler.delete(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.discover(location, []) == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE


def test_the_final_snapshot_of_a_destroyed_cluster_is_protected(aws, location, seed):
    rds = seed("rds")
    _cluster(rds, "ledger")
    clusters = RdsDbClusterHandler(aws)
    [cluster] = clusters.discover(location, [])
    clusters.delete(location, [cluster])
    clusters.confirm_gone(location, [cluster])
    handler = RdsDbClusterSnapshotHandler(aws)
    [final] = handler.discover(location, [])
    assert final.id.startswith("costzero-final-ledger-") and final.attributes["final_snapshot"]
    assert handler.delete(location, [final])[0].kind is OutcomeKind.PROTECTED
    assert len(handler.discover(location, [])) == 1
