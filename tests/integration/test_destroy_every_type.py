"""A destroy of an account holding a resource of every type in the catalogue, in two regions (global
types once), through the SDK against the moto server: the run succeeds, every resource goes, and a
second plan finds nothing. The seeders are the catalogue meta-test's (one per type)."""

from __future__ import annotations

from collections import Counter

import pytest

from costzero.domain.resources import GLOBAL_REGION
from costzero.presentation.sdk import CostZero
from tests.integration.conftest import OTHER_REGION, REGION
from tests.integration.test_catalogue_meta import HANDLERS, SEEDERS

# a few seeders name a zone or a fixed resource name that moto keeps account-wide: those types are
# seeded in us-east-1 only (the test says which, and asserts that most types are in both regions)


@pytest.fixture
def every_type(moto_server, seed):
    """One resource of each type in REGION and of each regional type in OTHER_REGION too."""
    seeded: Counter[str] = Counter()
    for type_key in sorted(SEEDERS):
        try:
            SEEDERS[type_key](seed)
        except Exception as error:  # the meta-test's seeders each expect an empty account
            print(f"{type_key}: seeder clashed with another's resources ({type(error).__name__}: {error})")
            continue
        seeded[REGION] += 1
    # the snapshot seeders make their own source, which the source's seeder already made: snapshot it
    for region in (REGION,):
        rds, redshift = seed("rds", region), seed("redshift", region)
        rds.create_db_snapshot(DBInstanceIdentifier="meta-db", DBSnapshotIdentifier="every-snap")
        rds.create_db_cluster_snapshot(
            DBClusterIdentifier="meta-cluster", DBClusterSnapshotIdentifier="every-csnap"
        )
        redshift.create_cluster_snapshot(
            SnapshotIdentifier="every-snapshot", ClusterIdentifier="meta-warehouse"
        )
    other = lambda service, region=OTHER_REGION: seed(service, region)  # noqa: E731
    second: list[str] = []
    regional = [k for k in sorted(SEEDERS) if not HANDLERS[k].spec.is_global]
    for type_key in regional:
        try:
            SEEDERS[type_key](other)
        except Exception as error:  # a seeder tied to us-east-1: reported below, not hidden
            print(f"{type_key}: seeded in {REGION} only ({type(error).__name__})")
            continue
        second.append(type_key)
    assert len(second) >= 0.8 * len(regional), f"only {len(second)} of {len(regional)} in {OTHER_REGION}"
    return second


def test_a_destroy_of_every_type_in_two_regions_leaves_nothing(moto_server, every_type, tmp_path):
    settings = {
        "endpoint_url": moto_server.endpoint_url,
        "regions": [REGION, OTHER_REGION],
        "database_url": f"sqlite:///{tmp_path / 'runs.db'}",
        "wait": {"budget_seconds": 120, "first_delay": 0.05, "max_delay": 0.3},
        "skip_final_snapshot": True,
        "disable_protection": ["rds:db-snapshot", "rds:db-cluster-snapshot"],
    }
    with CostZero(None, **settings) as sdk:
        account = sdk.whoami()
        plan = sdk.plan(accounts=[account])
        assert not plan.failures, plan.failures
        found = {r.type_key for r in plan.targets}
        assert found == set(HANDLERS), f"not found: {sorted(set(HANDLERS) - found)}"
        regions = {r.region for r in plan.targets if r.type_key in every_type}
        assert regions == {REGION, OTHER_REGION}
        result = sdk.destroy(plan, dry_run=False, yes=True)
        assert result.ok, {k: (str(v), result.task_reasons.get(k)) for k, v in result.failed_tasks.items()}
        left = sdk.plan(accounts=[account])
        # skip_final_snapshot: no database leaves a final snapshot behind, Redshift's neither
        leftover = sorted(f"{r.type_key}/{r.region}/{r.id}" for r in left.targets)
        assert not leftover, ", ".join(leftover)
        assert GLOBAL_REGION not in {r.region for r in left.targets}
