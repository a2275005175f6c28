from tests.integration.conftest import round_trip


def test_clusters_stop_and_start_and_their_members_are_left_to_them(park_sdk, seed):
    rds = seed("rds")
    rds.create_db_cluster(
        DBClusterIdentifier="ledger",
        Engine="aurora-postgresql",
        MasterUsername="app",
        MasterUserPassword="secret-123",
    )
    rds.create_db_instance(
        DBInstanceIdentifier="ledger-1",
        DBClusterIdentifier="ledger",
        Engine="aurora-postgresql",
        DBInstanceClass="db.r6g.large",
    )
    plan = park_sdk.plan_stop(types=["rds:db-instance"])
    assert [k.reason for k in plan.kept] == ["member of DB cluster ledger: park the cluster (rds:db-cluster)"]
    before, parked, after = round_trip(park_sdk, "rds:db-cluster")
    assert parked == {"ledger": {"status": "stopped"}}
    assert after == before == {"ledger": {"status": "available"}}
