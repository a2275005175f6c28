"""StopStartUseCase through fakes for every port: decisions, exact round trips, crash safety at
each checkpoint, drift, change limits, groups and dry runs, without AWS, moto or subprocesses."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import ProcessingOrchestrator, WaitPolicy
from costzero.application.park_plan import ParkPlan, ParkRequest, ParkResult
from costzero.application.parking import StopStartUseCase
from costzero.application.run_lifecycle import RunLifecycle
from costzero.domain.errors import SafetyRefusal, TemporaryCloudError
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.parking import Decision, ParkStep
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Action
from costzero.domain.safety import SafetyPolicy, TagFilter
from tests.fakes.checkpoints import FakeCheckpoints, SimulatedCrash
from tests.fakes.clock import FakeClock
from tests.fakes.cloud import ACCOUNT, FakeCloud
from tests.fakes.executor import SimulatedExecutor
from tests.fakes.park_handler import FakeParkHandler, parkable
from tests.fakes.run_repository import FakeRunRepository
from tests.fakes.snapshots import FakeSnapshotRepository
from tests.fakes.state_backup import FakeStateBackup

US, EU = "us-east-1", "eu-west-1"
INSTANCE = parkable("ec2:instance")
DATABASE = parkable("rds:db-instance", requires=("ec2:instance",))  # stopped after the instances
STREAM = parkable("kinesis:stream")
RUNNING = {"status": "running", "size": "t3.micro"}


class World:
    """Every port's fake, and the use case built on them (by `build_use_case`, the one place)."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.handlers = {
            INSTANCE.key: FakeParkHandler(INSTANCE, log=self.log),
            DATABASE.key: FakeParkHandler(DATABASE, log=self.log),
            STREAM.key: FakeParkHandler(STREAM, parked_values={"shards": 1}, change_limit=2, log=self.log),
        }
        self.clock = FakeClock()
        self.runs = FakeRunRepository()
        self.cloud = FakeCloud()
        self.snapshots = FakeSnapshotRepository()
        self.checkpoints = FakeCheckpoints()
        self.backup = FakeStateBackup()
        self.restart()

    def restart(self) -> None:
        """A new process: what lives in memory is gone; the stores and the cloud remain."""
        self.monitor = BatchMonitoringService(self.clock)
        self.executor = SimulatedExecutor(self.clock, lambda key: 1.0)
        self.use_case = build_use_case(self)

    @property
    def instances(self) -> FakeParkHandler:
        return self.handlers[INSTANCE.key]

    @property
    def calls(self) -> int:
        return sum(len(h.calls) for h in self.handlers.values())

    def plan(self, action: Action, **request: object) -> ParkPlan:
        request.setdefault("regions", (US, EU))
        return self.use_case.plan(ParkRequest(action, **request))  # type: ignore[arg-type]

    def run(self, action: Action, **request: object) -> ParkResult:
        return self.use_case.execute(self.plan(action, **request), dry_run=False, typed=ACCOUNT)

    def actions(self, result: ParkResult) -> dict[str, tuple[str, str]]:
        """resource id -> (outcome, message) of the run's last event for it."""
        return {a["resource_id"]: (a["outcome"], a["message"]) for a in self.runs.actions[result.run_id]}

    def steps(self) -> dict[str, ParkStep]:
        """resource id -> step of its latest snapshot."""
        return {s.ref.resource_id: s.step for s in self.snapshots.rows}


def build_use_case(world: World) -> StopStartUseCase:
    ids = itertools.count(len(world.runs.runs) + 1)
    orchestrator = ProcessingOrchestrator(
        world.executor, world.clock, world.monitor, wait=WaitPolicy(budget_seconds=600, first_delay=1)
    )
    lifecycle = RunLifecycle(
        world.runs, world.monitor, orchestrator, world.clock, new_id=lambda: f"run-{next(ids)}"
    )
    return StopStartUseCase(
        ResourceRegistry([INSTANCE, DATABASE, STREAM]),
        world.handlers,
        world.cloud,
        world.executor,
        world.monitor,
        lifecycle,
        world.snapshots,
        world.checkpoints,
        world.clock,
        backup=world.backup,
    )


def seed(world: World, n: int = 3) -> World:
    for i in range(1, n + 1):
        world.instances.add(ACCOUNT, US, f"i-{i}", RUNNING, tags={"team": "a"})
    world.instances.add(ACCOUNT, EU, "i-eu", RUNNING, tags={"team": "b"})
    world.handlers[DATABASE.key].add(ACCOUNT, US, "orders", {"status": "available"}, tags={})
    return world


def live(world: World) -> dict[str, dict[str, object]]:
    return {rid: h.settings(rid) for h in world.handlers.values() for rid in h.live}


def decisions(plan: ParkPlan) -> dict[str, Decision]:
    return {i.resource.id: i.decision for i in plan.reports}


# -- decisions ----------------------------------------------------------------------------------
def test_stop_decides_apply_already_parked_wait_drifted_unmanaged_and_missing():
    world = World()
    for rid in ("i-done", "i-drift", "i-gone"):
        world.instances.add(ACCOUNT, US, rid, RUNNING)
    assert world.run(Action.STOP).ok
    world.instances.drift("i-drift", status="hibernated")  # neither running nor stopped
    world.instances.vanish("i-gone")
    world.instances.add(ACCOUNT, US, "i-new", RUNNING)
    world.instances.add(ACCOUNT, US, "i-moving", RUNNING)
    world.instances.transition("i-moving", 2, status="stopped")  # someone else stopping it
    world.instances.add(ACCOUNT, US, "i-stopped", {"status": "stopped"})  # not by costzero
    calls = world.calls

    plan = world.plan(Action.STOP)
    assert decisions(plan) == {
        "i-done": Decision.DONE,
        "i-drift": Decision.DRIFTED,
        "i-gone": Decision.MISSING,
        "i-new": Decision.APPLY,
        "i-moving": Decision.WAIT,
        "i-stopped": Decision.UNMANAGED,
    }
    result = world.use_case.execute(plan, dry_run=True)
    assert result.outcomes == {
        "would-stop": 2,
        "already-parked": 1,
        "drifted": 1,
        "missing": 1,
        "unmanaged": 1,
    }
    assert world.calls == calls
    reasons = {i.resource.id: i.reason for i in plan.reports}
    assert reasons["i-drift"] == "status: expected 'stopped', found 'hibernated'"


def test_start_decides_from_the_snapshot_and_the_live_settings():
    world = World()
    for rid in ("i-parked", "i-back", "i-drift", "i-gone"):
        world.instances.add(ACCOUNT, US, rid, RUNNING)
    assert world.run(Action.STOP).ok
    world.instances.drift("i-back", status="running")  # started by hand
    world.instances.drift("i-drift", status="hibernated")
    world.instances.vanish("i-gone")
    assert decisions(world.plan(Action.START)) == {
        "i-parked": Decision.APPLY,
        "i-back": Decision.DONE,
        "i-drift": Decision.DRIFTED,
        "i-gone": Decision.MISSING,
    }


def test_a_resource_in_transition_is_waited_for_then_decided_again():
    world = World()
    world.instances.add(ACCOUNT, US, "i-booting", {"status": "pending"})
    world.instances.transition("i-booting", 3, status="running")  # starting up: wait, then park
    plan = world.plan(Action.STOP, regions=(US,))
    assert decisions(plan) == {"i-booting": Decision.WAIT}
    result = world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    assert result.ok and world.actions(result)["i-booting"][0] == "parked"
    assert world.instances.called[("stop", "i-booting")] == 1
    assert world.instances.settings("i-booting") == {"status": "stopped"}
    assert world.clock.sleeps  # waited on the fake clock, not in real time


def test_an_unparkable_resource_is_kept_with_its_reason_and_never_snapshotted():
    world = seed(World(), 1)
    world.instances.unparkable_ids["i-1"] = "member of an Auto Scaling group"
    plan = world.plan(Action.STOP)
    assert [(k.resource.id, k.reason) for k in plan.kept] == [("i-1", "member of an Auto Scaling group")]
    assert world.use_case.execute(plan, dry_run=False, typed=ACCOUNT).ok
    assert "i-1" not in world.steps() and world.instances.called.get(("stop", "i-1")) is None


# -- round trip ---------------------------------------------------------------------------------
def test_stop_then_start_restores_every_setting_exactly_in_dependency_order():
    world = seed(World())
    world.instances.lag["i-2"] = 3  # AWS takes a while: PENDING, then polled
    before = live(world)

    stopped = world.run(Action.STOP)
    assert stopped.ok and stopped.outcomes == {"parked": 5}
    assert {rid: s["status"] for rid, s in live(world).items()} == {
        "i-1": "stopped",
        "i-2": "stopped",
        "i-3": "stopped",
        "i-eu": "stopped",
        "orders": "stopped",
    }
    assert set(world.steps().values()) == {ParkStep.VERIFIED}
    assert world.log.index(f"stop {DATABASE.key}") > max(
        i for i, entry in enumerate(world.log) if entry == f"stop {INSTANCE.key}"
    )
    assert sorted(world.instances.calls) == [  # one call per location
        ("stop", EU, ("i-eu",)),
        ("stop", US, ("i-1", "i-2", "i-3")),
    ]

    world.log.clear()
    started = world.run(Action.START)
    assert started.ok and started.outcomes == {"restored": 5}
    assert live(world) == before
    assert world.snapshots.open_snapshots() == []
    assert world.log[0] == f"start {DATABASE.key}"  # what the instances need comes back first
    assert world.instances.saved_seen["i-1"] == RUNNING  # start is given the snapshot's settings
    assert {(verb, n) for h in world.handlers.values() for (verb, _), n in h.called.items()} == {
        ("stop", 1),
        ("start", 1),
    }


def test_checkpoints_are_reached_after_each_commit_in_lifecycle_order():
    world = seed(World(), 1)
    world.run(Action.STOP, types=(INSTANCE.key,), regions=(US,))
    world.run(Action.START, types=(INSTANCE.key,), regions=(US,))
    assert world.checkpoints.names == ["snapshot", "applying", "applied", "verified", "restoring", "restored"]


# -- crash safety -------------------------------------------------------------------------------
CRASHES = [
    (Action.STOP, "snapshot:2"),
    (Action.STOP, "applying:2"),
    (Action.STOP, "applied:2"),
    (Action.STOP, "verified:2"),
    (Action.START, "restoring:2"),
    (Action.START, "restored:2"),
]


@pytest.mark.parametrize("lag", [0, 2])
@pytest.mark.parametrize(("action", "crash_at"), CRASHES)
def test_a_run_resumed_after_a_crash_at_any_checkpoint_ends_as_an_uninterrupted_one(action, crash_at, lag):
    def scenario(crash: str) -> World:
        world = seed(World())
        world.instances.lag.update({"i-1": lag, "i-2": lag, "i-3": lag})
        if action is Action.START:
            assert world.run(Action.STOP).ok
            world.instances.lag.update({"i-1": lag, "i-2": lag, "i-3": lag})
        world.checkpoints.arm(crash)
        if crash:
            with pytest.raises(SimulatedCrash):
                world.run(action)
            world.checkpoints.arm("")
            world.restart()
        assert world.run(action).ok  # the resume re-plans, as `runs resume` does
        return world

    expected, resumed = scenario(""), scenario(crash_at)
    assert live(resumed) == live(expected)
    assert resumed.steps() == expected.steps()
    assert [s.closed_at is None for s in resumed.snapshots.rows] == [
        s.closed_at is None for s in expected.snapshots.rows
    ]
    for handler in resumed.handlers.values():  # no resource was called twice for one action
        assert set(handler.called.values()) <= {1}
    assert sum(h.count(action.value) for h in resumed.handlers.values()) == 5


# -- drift and differences ----------------------------------------------------------------------
def test_start_reports_drift_and_never_overwrites_it():
    world = seed(World(), 2)
    assert world.run(Action.STOP).ok
    world.instances.drift("i-1", status="hibernated")
    result = world.run(Action.START)
    # reported and left as found; the run did not restore everything, so it is not ok (exit 1)
    assert not result.ok and result.left_outcomes == {OutcomeKind.DRIFTED: 1}
    assert result.failed_tasks == {}  # no task failed: the resource was left by a rule
    outcome, message = world.actions(result)["i-1"]
    assert outcome == "drifted" and message == "status: expected 'stopped', found 'hibernated'"
    assert world.instances.called.get(("start", "i-1")) is None
    assert world.instances.settings("i-1")["status"] == "hibernated"
    assert world.snapshots.find(f"ec2:instance@{ACCOUNT}/{US}/i-1") is not None  # kept open
    assert world.actions(result)["i-2"][0] == "restored"


def test_a_setting_changed_while_parked_is_restored_with_differences():
    world = seed(World(), 1)
    assert world.run(Action.STOP).ok
    world.instances.drift("i-1", size="m5.large")  # not a field parking changes
    result = world.run(Action.START)
    assert world.actions(result)["i-1"] == (
        "restored-with-differences",
        "size: expected 't3.micro', found 'm5.large'",
    )
    assert world.steps()["i-1"] is ParkStep.RESTORED


def test_a_resource_that_came_back_is_parked_again_under_its_first_snapshot():
    world = seed(World(), 1)
    assert world.run(Action.STOP).ok
    world.instances.drift("i-1", status="running")  # AWS restarted it
    plan = world.plan(Action.STOP, types=(INSTANCE.key,))
    assert "running again" in next(i.reason for i in plan.reports if i.resource.id == "i-1")
    assert world.use_case.execute(plan, dry_run=False, typed=ACCOUNT).ok
    assert world.instances.called[("stop", "i-1")] == 2
    assert [s.ref.resource_id for s in world.snapshots.rows].count("i-1") == 1
    assert world.snapshots.rows[0].settings == RUNNING


# -- failures -----------------------------------------------------------------------------------
def test_a_refused_call_fails_that_resource_only_and_a_later_stop_finishes_it():
    world = seed(World())
    world.instances.outcome["i-2"] = OutcomeKind.DENIED
    result = world.run(Action.STOP)
    assert not result.ok
    assert world.actions(result)["i-2"] == ("failed", "denied: scripted")
    assert world.steps()["i-2"] is ParkStep.FAILED
    assert result.task_states[f"ec2:instance@{ACCOUNT}/{US}"] == "failed"
    assert result.task_states[f"rds:db-instance@{ACCOUNT}/{US}"] == "blocked"
    assert world.handlers[DATABASE.key].calls == []

    del world.instances.outcome["i-2"]
    assert world.run(Action.STOP).ok
    assert world.steps()["i-2"] is ParkStep.VERIFIED


def test_a_temporary_error_is_tried_again_and_three_in_a_row_fail_the_task():
    world = seed(World(), 1)
    world.instances.call_error = TemporaryCloudError("InternalError: try again")
    assert world.run(Action.STOP, regions=(US,)).ok
    assert world.instances.called[("stop", "i-1")] == 1  # the failed call answered nothing

    world = seed(World(), 1)

    def down(location, resources, saved):
        world.instances.calls.append(("stop", location.region, tuple(r.id for r in resources)))
        raise TemporaryCloudError("InternalError: down")

    world.instances.stop = down  # type: ignore[method-assign]
    result = world.run(Action.STOP, regions=(US,))
    assert "3 failed calls in a row" in result.task_reasons[f"ec2:instance@{ACCOUNT}/{US}"]
    assert world.instances.calls == [("stop", US, ("i-1",))] * 3


# -- change limits ------------------------------------------------------------------------------
def test_change_limits_refuse_the_plan_before_any_call_until_the_window_frees():
    world = World()
    streams = world.handlers[STREAM.key]
    streams.add(ACCOUNT, US, "clicks", {"status": "active", "shards": 4})
    assert world.run(Action.STOP).ok and world.run(Action.START).ok  # 2 changes of the 2 allowed
    calls, rows = world.calls, len(world.snapshots.rows)

    with pytest.raises(SafetyRefusal, match="kinesis:stream clicks: needs 1 change"):
        world.plan(Action.STOP)
    assert world.calls == calls and len(world.snapshots.rows) == rows

    world.clock.advance(timedelta(hours=24).total_seconds())
    assert world.run(Action.STOP).ok
    assert streams.settings("clicks") == {"status": "active", "shards": 1}


# -- selection ----------------------------------------------------------------------------------
def test_a_group_selects_only_its_members_and_unreadable_tags_are_kept():
    world = seed(World())
    world.instances.add(ACCOUNT, US, "i-unknown", RUNNING, tags=None)
    group = (TagFilter.parse("team=a"),)
    plan = world.plan(Action.STOP, include_tags=group)
    assert {i.resource.id for i in plan.reports} == {"i-1", "i-2", "i-3"}
    assert [k.resource.id for k in plan.kept] == ["i-unknown"]
    assert world.use_case.execute(plan, dry_run=False, typed=ACCOUNT).ok
    assert {rid for h in world.handlers.values() for (_, rid) in h.called} == {"i-1", "i-2", "i-3"}
    assert live(world)["i-eu"] == RUNNING and live(world)["orders"] == {"status": "available"}
    assert world.runs.runs["run-1"]["params"]["include_tags"] == {"team": "a"}


def test_start_touches_only_what_has_a_snapshot():
    world = seed(World())
    assert world.run(Action.STOP, include_tags=(TagFilter.parse("team=a"),)).ok
    world.instances.add(ACCOUNT, US, "i-other", {"status": "stopped"}, tags={"team": "a"})
    plan = world.plan(Action.START)
    assert {i.resource.id for i in plan.reports} == {"i-1", "i-2", "i-3"}
    assert world.use_case.execute(plan, dry_run=False).ok
    assert world.instances.count("start") == 3
    assert live(world)["i-other"] == {"status": "stopped"}


def test_keep_tags_hold_back_a_resource_from_stop():
    world = seed(World())
    plan = world.plan(Action.STOP, policy=SafetyPolicy(exclude_tags=(TagFilter.parse("team=b"),)))
    assert [(k.resource.id, k.reason) for k in plan.kept] == [("i-eu", "tag team=b")]
    assert world.use_case.execute(plan, dry_run=False, typed=ACCOUNT).ok
    assert world.instances.called.get(("stop", "i-eu")) is None


# -- dry runs and safety ------------------------------------------------------------------------
@pytest.mark.parametrize("action", [Action.STOP, Action.START])
def test_a_dry_run_makes_no_call_and_writes_no_snapshot(action):
    world = seed(World())
    if action is Action.START:
        assert world.run(Action.STOP).ok
    calls, moves, rows = world.calls, list(world.snapshots.moves), list(world.snapshots.rows)
    result = world.use_case.execute(world.plan(action), dry_run=True)
    assert result.outcomes == {f"would-{action.value}": 5}
    assert result.status == "dry-run"
    assert world.calls == calls
    assert world.snapshots.moves == moves and world.snapshots.rows == rows


def test_a_real_stop_needs_the_typed_account_and_respects_the_blast_radius():
    world = seed(World())
    with pytest.raises(SafetyRefusal):
        world.use_case.execute(world.plan(Action.STOP), dry_run=False, typed="999")
    with pytest.raises(SafetyRefusal, match="5 resources"):
        world.use_case.execute(
            world.plan(Action.STOP, policy=SafetyPolicy(max_resources=4)), dry_run=False, typed=ACCOUNT
        )
    assert world.calls == 0 and world.snapshots.rows == [] and world.runs.runs == {}


# -- the state-file mirror ----------------------------------------------------------------------
def test_a_real_stop_or_start_copies_the_state_file_to_the_backup_and_a_dry_run_does_not():
    world = seed(World())
    world.use_case.execute(world.plan(Action.STOP), dry_run=True)
    assert world.backup.saved == []
    world.run(Action.STOP)
    assert len(world.backup.saved) == 1
    mirrored = world.backup.saved[0]["resources"]
    assert sorted(e["id"] for e in mirrored["ec2:instance"]) == ["i-1", "i-2", "i-3", "i-eu"]
    world.run(Action.START)
    assert len(world.backup.saved) == 2
    assert world.backup.saved[1]["resources"] == {}  # every snapshot closed


# -- waiting for AWS ----------------------------------------------------------------------------
@pytest.mark.parametrize(("expected", "first_look"), [(8.0, 8.0), (0.0, WaitPolicy().min_poll)])
def test_a_parked_resource_is_checked_again_when_its_transition_is_likely_done(expected, first_look):
    """The type's typical transition time decides the first look (a type that declares none is
    expected to settle at once: the shortest poll); then short polls, never a doubling delay."""
    world = World()
    world.instances.spec = parkable("ec2:instance", transition_seconds=expected)
    world.instances.add(ACCOUNT, US, "i-1", RUNNING)
    world.instances.lag["i-1"] = 2  # PENDING, then seen in transition twice
    events = []
    world.monitor.subscribe(events.append)
    assert world.run(Action.STOP, regions=(US,)).ok
    task = f"ec2:instance@{ACCOUNT}/{US}"
    moves = [(e.state, e.at) for e in events if e.task_key == task and e.kind.value == "task"]
    waited = [b[1] - a[1] for a, b in itertools.pairwise(moves) if a[0] == "waiting"]
    assert len(waited) >= 1
    assert waited[0] == timedelta(seconds=first_look)
