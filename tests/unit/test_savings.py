"""Savings from run history: deleted resources save their whole rate from the delete on, parked
ones their compute rate until a later start; dry runs and unsettled resources save nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from costzero.application.savings import SavingsLedger, savings_of
from costzero.domain.costing import ResourceCost
from costzero.domain.resources import Resource
from tests.fakes.clock import FakeClock
from tests.fakes.run_repository import FakeRunRepository

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def _cost(rid: str, compute: float, storage: float = 0.0, region: str = "us-east-1") -> ResourceCost:
    return ResourceCost(Resource("ec2:instance", rid, "111122223333", region), compute, storage)


def _run(repo: FakeRunRepository, run_id: str, kind: str, at: datetime, outcomes: dict[str, str], **kw):
    repo.add_run(run_id, kind, kw.get("dry_run", False), at, {})
    repo.record_costs(run_id, kw.get("costs", []))
    task = f"ec2:instance@111122223333/{kw.get('region', 'us-east-1')}"
    for rid, outcome in outcomes.items():
        repo.actions[run_id].append(
            {"task_key": task, "resource_id": rid, "action": kind, "outcome": outcome, "at": at.isoformat()}
        )


def test_a_destroy_saves_the_whole_rate_and_a_stop_the_compute_until_started():
    repo = FakeRunRepository()
    _run(
        repo,
        "d1",
        "destroy",
        T0,
        {"i-1": "done", "i-2": "failed"},
        costs=[_cost("i-1", 1.0, 0.5), _cost("i-2", 9)],
    )
    _run(repo, "s1", "stop", T0, {"i-3": "parked"}, costs=[_cost("i-3", 2.0, 0.25)])
    _run(repo, "st", "start", T0 + timedelta(hours=3), {"i-3": "restored"})
    _run(repo, "dry", "destroy", T0, {"i-4": "would-delete"}, costs=[_cost("i-4", 100)], dry_run=True)
    report = SavingsLedger(repo, FakeClock(T0 + timedelta(hours=10))).report()
    assert report.saved_usd == pytest.approx(1.5 * 10 + 2.0 * 3)
    assert report.projected_usd_per_month == pytest.approx(1.5 * 730)  # i-3 runs again
    document = report.as_dict()
    assert document["by_run"] == {
        "d1": {"saved_usd": 15.0, "usd_per_hour": 1.5},
        "s1": {"saved_usd": 6.0, "usd_per_hour": 2.0},
    }
    one = SavingsLedger(repo, FakeClock(T0 + timedelta(hours=10))).report("s1")
    assert [s.resource_id for s in one.savings] == ["i-3"]


def test_a_parked_resource_not_started_again_still_saves():
    repo = FakeRunRepository()
    _run(repo, "s1", "stop", T0, {"i-3": "parked"}, costs=[_cost("i-3", 2.0)])
    report = savings_of([repo.get_run("s1")], T0 + timedelta(hours=2))
    assert report.saved_usd == pytest.approx(4.0)
    assert report.projected_usd_per_month == pytest.approx(2.0 * 730)


def test_a_start_before_the_stop_does_not_end_its_saving():
    repo = FakeRunRepository()
    _run(repo, "st", "start", T0, {"i-3": "restored"})
    _run(repo, "s1", "stop", T0 + timedelta(hours=1), {"i-3": "parked"}, costs=[_cost("i-3", 1.0)])
    runs = [repo.get_run("st"), repo.get_run("s1")]
    assert savings_of(runs, T0 + timedelta(hours=5)).saved_usd == pytest.approx(4.0)


def test_a_name_used_in_two_regions_saves_only_where_the_action_ended():
    """Two databases called `app`: the destroy deleted the eu-west-1 one; the us-east-1 one failed."""
    repo = FakeRunRepository()
    costs = [_cost("app", 1.0, region="us-east-1"), _cost("app", 2.0, region="eu-west-1")]
    _run(repo, "d1", "destroy", T0, {"app": "done"}, costs=costs, region="eu-west-1")
    east = "ec2:instance@111122223333/us-east-1"
    repo.actions["d1"].append(
        {
            "task_key": east,
            "resource_id": "app",
            "action": "destroy",
            "outcome": "failed",
            "at": T0.isoformat(),
        }
    )
    report = SavingsLedger(repo, FakeClock(T0 + timedelta(hours=1))).report()
    assert [(s.region, s.usd_per_hour) for s in report.savings] == [("eu-west-1", 2.0)]
