from datetime import UTC, datetime, timedelta

from costzero.infrastructure.aws.handlers.rds_db_cluster import RdsDbClusterHandler
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


def test_aurora_volume_bytes_are_read_from_cloudwatch(aws, location, seed):
    # moto publishes no RDS metrics: the datapoint AWS would publish is put on the moto server
    seed("rds").create_db_cluster(
        DBClusterIdentifier="ledger",
        Engine="aurora-postgresql",
        MasterUsername="app",
        MasterUserPassword="secret-123",
    )
    seed("rds").create_db_cluster(
        DBClusterIdentifier="quiet",
        Engine="aurora-mysql",
        MasterUsername="app",
        MasterUserPassword="secret-123",
    )
    seed("cloudwatch").put_metric_data(
        Namespace="AWS/RDS",
        MetricData=[
            {
                "MetricName": "VolumeBytesUsed",
                "Dimensions": [{"Name": "DbClusterIdentifier", "Value": "ledger"}],
                "Timestamp": datetime.now(UTC) - timedelta(hours=2),
                "Value": 12 * 2**30,
                "Unit": "Bytes",
            }
        ],
    )
    found = {r.id: r for r in RdsDbClusterHandler(aws).discover(location, [])}
    assert found["ledger"].attributes["volume_bytes"] == 12 * 2**30
    assert found["quiet"].attributes["volume_bytes"] is None  # no datapoint: unknown
    [usage] = RdsDbClusterHandler(aws).usage(found["ledger"])
    assert (usage.usage_type, usage.quantity) == ("Aurora:StorageUsage", 12.0)
