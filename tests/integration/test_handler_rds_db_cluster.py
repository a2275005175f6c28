from datetime import UTC, datetime, timedelta

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.rds_db_cluster import RdsDbClusterHandler
from costzero.infrastructure.aws.handlers.rds_db_instance import RdsDbInstanceHandler
from tests.integration.conftest import round_trip
from tests.integration.stubs import StubbedClients


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


# -- destroy -------------------------------------------------------------------------------------
def _aurora(rds, name, protected=False):
    rds.create_db_cluster(
        DBClusterIdentifier=name,
        Engine="aurora-postgresql",
        MasterUsername="app",
        MasterUserPassword="secret-123",
        DeletionProtection=protected,
    )


def test_members_go_first_then_the_cluster_with_a_tagged_final_snapshot(aws, location, seed):
    rds = seed("rds")
    _aurora(rds, "ledger")
    rds.create_db_instance(
        DBInstanceIdentifier="ledger-1",
        DBClusterIdentifier="ledger",
        Engine="aurora-postgresql",
        DBInstanceClass="db.r6g.large",
    )
    clusters, instances = RdsDbClusterHandler(aws), RdsDbInstanceHandler(aws)
    [cluster] = clusters.discover(location, [])
    assert cluster.links == (Link("rds:db-instance", "ledger-1", "has member"),)
    [member] = instances.discover(location, [])
    assert instances.delete(location, [member])[0].kind is OutcomeKind.PENDING
    assert instances.confirm_gone(location, [member])[0].kind is OutcomeKind.DONE
    assert rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"] == []  # the cluster holds the data
    [result] = clusters.delete(location, [cluster])
    assert result.kind is OutcomeKind.PENDING and "costzero-final-ledger-" in result.message
    assert clusters.confirm_gone(location, [cluster])[0].kind is OutcomeKind.DONE
    [snapshot] = rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]
    tags = rds.list_tags_for_resource(ResourceName=snapshot["DBClusterSnapshotArn"])["TagList"]
    assert {"Key": "costzero:final-snapshot", "Value": "true"} in tags
    assert clusters.delete(location, [cluster])[0].kind is OutcomeKind.GONE


def test_a_cluster_with_members_left_is_not_yet_and_names_them():
    # moto refuses too, but with a code of its own; AWS answers InvalidDBClusterStateFault
    stub = StubbedClients("rds")
    stub.error(
        "delete_db_cluster",
        "InvalidDBClusterStateFault",
        "Cluster cannot be deleted, it still contains DB instances in non-deleting state.",
    )
    cluster = Resource("rds:db-cluster", "ledger", "1", "r", attributes={"members": ["ledger-1"]})
    [result] = RdsDbClusterHandler(stub).delete(Location("1", "r"), [cluster])
    assert result.kind is OutcomeKind.NOT_YET and result.blockers == ("ledger-1",)


def test_a_protected_cluster_is_left_unless_allowed(aws, location, seed):
    rds = seed("rds")
    _aurora(rds, "vault", protected=True)
    [cluster] = RdsDbClusterHandler(aws).discover(location, [])
    [result] = RdsDbClusterHandler(aws).delete(location, [cluster])
    assert result.kind is OutcomeKind.PROTECTED and "--disable-protection rds:db-cluster" in result.message
    assert not [
        op for (svc, op) in aws.counter.calls if svc == "rds" and not op.startswith(("Describe", "List"))
    ]
    allowed = RdsDbClusterHandler(
        aws, HandlerOptions(disable_protection=frozenset({"rds:db-cluster"}), skip_final_snapshot=True)
    )
    assert "no final snapshot" in allowed.delete(location, [cluster])[0].message
    assert rds.describe_db_clusters()["DBClusters"] == []
    assert rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"] == []
