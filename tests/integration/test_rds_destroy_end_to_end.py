"""Databases through the SDK on the moto server: dependency order, final snapshots, and what a second
destroy does with the final snapshots the first one kept."""

from __future__ import annotations

import pytest

from costzero.presentation.sdk import CostZero
from tests.integration.park_fixtures import create_postgres

RDS_TYPES = [
    "rds:db-instance",
    "rds:db-cluster",
    "rds:db-snapshot",
    "rds:db-cluster-snapshot",
    "rds:db-parameter-group",
    "rds:db-cluster-parameter-group",
    "rds:db-subnet-group",
]


def _sdk(moto_server, tmp_path, **settings):
    return CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=["us-east-1"],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        wait={"budget_seconds": 30, "first_delay": 0.01, "max_delay": 0.05},
        **settings,
    )


@pytest.fixture
def estate(moto_server, seed):
    moto_server.reset()
    rds = seed("rds")
    rds.create_db_parameter_group(
        DBParameterGroupName="app-pg16", DBParameterGroupFamily="postgres16", Description="app"
    )
    create_postgres(rds, "orders")
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
    return rds


def test_a_second_destroy_keeps_the_final_snapshots_and_ends(moto_server, estate, tmp_path):
    rds = estate
    with _sdk(moto_server, tmp_path) as sdk:
        account = sdk.whoami()
        first = sdk.destroy(sdk.plan(types=RDS_TYPES, accounts=[account]), dry_run=False, yes=True)
        assert first.ok, first.task_reasons
        assert rds.describe_db_instances()["DBInstances"] == []
        assert rds.describe_db_clusters()["DBClusters"] == []
        finals = [
            s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]
        ]
        assert [f.startswith("costzero-final-orders-") for f in finals] == [True]
        [cluster_final] = rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]
        assert cluster_final["DBClusterSnapshotIdentifier"].startswith("costzero-final-ledger-")

        # the safety copies are kept by the plan, with no call: the second destroy ends well
        plan = sdk.plan(types=RDS_TYPES, accounts=[account])
        reasons = sorted(k.reason for k in plan.kept)
        assert reasons == [
            f"final snapshot costzero kept of {source}; --disable-protection {type_key} to delete it"
            for source, type_key in (("ledger", "rds:db-cluster-snapshot"), ("orders", "rds:db-snapshot"))
        ]
        calls = dict(sdk.api_calls)
        second = sdk.destroy(plan, dry_run=False, yes=True)
        assert second.ok and second.outcomes.get("kept") == 2 and second.deleted == 0
        assert sdk.api_calls == calls
        assert len(rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]) == 1

    allowed = {"disable_protection": ["rds:db-snapshot", "rds:db-cluster-snapshot"]}
    with _sdk(moto_server, tmp_path, **allowed) as sdk:
        third = sdk.destroy(sdk.plan(types=RDS_TYPES, accounts=[account]), dry_run=False, yes=True)
        assert third.ok and third.deleted == 2
    assert rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"] == []


def test_skip_final_snapshot_leaves_nothing(moto_server, estate, tmp_path):
    rds = estate
    with _sdk(moto_server, tmp_path, skip_final_snapshot=True) as sdk:
        plan = sdk.plan(types=RDS_TYPES, accounts=[sdk.whoami()])
        result = sdk.destroy(plan, dry_run=False, yes=True)
        assert result.ok, result.task_reasons
    assert rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"] == []
    assert rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"] == []
    groups = rds.describe_db_parameter_groups()["DBParameterGroups"]
    assert not [g for g in groups if not g["DBParameterGroupName"].startswith("default.")]
