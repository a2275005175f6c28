"""--skip-final-snapshot: the plan says, for the selected databases, whether final snapshots are kept
or skipped (table and JSON), and a real destroy deletes without one only when asked to."""

from __future__ import annotations

import json

import boto3

from tests.e2e.running import account_of, invoke

DATABASES = ("--type", "rds:db-instance", "--type", "redshift:cluster", "--type", "ec2:instance")
KEPT = (
    "final snapshots: kept (costzero-final-...) for rds:db-instance, redshift:cluster;"
    " --skip-final-snapshot to skip them"
)


def test_the_plan_says_whether_final_snapshots_are_kept(demo_account):
    kept = invoke("plan", "destroy", *DATABASES, "-o", "json")
    assert kept.exit_code == 0, kept.stderr
    assert json.loads(kept.stdout)["final_snapshots"] == {
        "types": ["rds:db-instance", "redshift:cluster"],  # not ec2:instance: no final snapshot
        "skipped": False,
    }
    assert KEPT in invoke("plan", "destroy", *DATABASES).stdout

    skipped = invoke("plan", "destroy", *DATABASES, "--skip-final-snapshot", "-o", "json")
    assert skipped.exit_code == 0, skipped.stderr
    assert json.loads(skipped.stdout)["final_snapshots"]["skipped"] is True
    table = invoke("plan", "destroy", *DATABASES, "--skip-final-snapshot").stdout
    assert "final snapshots: skipped for rds:db-instance, redshift:cluster (skip_final_snapshot)" in table
    assert "final snapshots: kept" not in table


def test_a_selection_without_databases_says_nothing_of_final_snapshots(demo_account):
    result = invoke("plan", "destroy", "--type", "ec2:instance", "-o", "json")
    assert json.loads(result.stdout)["final_snapshots"] == {"types": [], "skipped": False}
    assert "final snapshots" not in invoke("plan", "destroy", "--type", "ec2:instance").stdout


def test_the_setting_from_the_environment_shows_too(demo_account, monkeypatch):
    monkeypatch.setenv("COSTZERO_SKIP_FINAL_SNAPSHOT", "true")
    result = invoke("plan", "destroy", "--type", "redshift:cluster", "-o", "json")
    assert json.loads(result.stdout)["final_snapshots"] == {"types": ["redshift:cluster"], "skipped": True}


def test_the_flag_reaches_the_handler_of_a_real_destroy(blank):
    """Two clusters, two real runs: the one with --skip-final-snapshot leaves no snapshot, the one
    without leaves its cluster's final snapshot. (moto lists a live cluster's automated snapshot
    even when asked for manual ones only: they are told apart by their SnapshotType.)"""
    redshift = boto3.client("redshift", endpoint_url=blank["COSTZERO_ENDPOINT_URL"], region_name="us-east-1")
    for name in ("skipped", "kept"):
        redshift.create_cluster(
            ClusterIdentifier=name,
            NodeType="dc2.large",
            ClusterType="single-node",
            MasterUsername="admin",
            MasterUserPassword="Secret-123",
            Tags=[{"Key": "copy", "Value": name}],
        )

    def manual() -> list[tuple[str, str]]:
        snapshots = redshift.describe_cluster_snapshots(SnapshotType="manual")["Snapshots"]
        return [
            (s["ClusterIdentifier"], s["SnapshotIdentifier"])
            for s in snapshots
            if s["SnapshotType"] == "manual"
        ]

    real = ("destroy", "--type", "redshift:cluster", "--no-dry-run", "--yes", "--no-live")
    real += ("--account", account_of(blank))
    first = invoke(*real, "--exclude-tag", "copy=kept", "--skip-final-snapshot")
    assert first.exit_code == 0, first.stdout + first.stderr
    assert "final snapshots: skipped for redshift:cluster" in first.stdout
    assert manual() == []
    assert [c["ClusterIdentifier"] for c in redshift.describe_clusters()["Clusters"]] == ["kept"]

    second = invoke(*real)
    assert second.exit_code == 0, second.stdout + second.stderr
    assert [(cluster, "-costzero-final-" in name) for cluster, name in manual()] == [("kept", True)]
    assert redshift.describe_clusters()["Clusters"] == []
