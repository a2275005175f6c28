from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import StepKind, TaskStep
from costzero.application.ports import Checkpoints, Clock, ParkHandler, SnapshotRepository
from costzero.domain.errors import CloudError, TemporaryCloudError
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.parking import (
    Decision,
    ParkRef,
    ParkStep,
    Snapshot,
    decide_start,
    decide_stop,
    differences,
    matches,
)
from costzero.domain.resources import Action, Location, Resource
from costzero.domain.tasks import Task


@dataclass
class ParkItem:
    """One resource of a stop or start plan, with the decision taken at planning time."""

    resource: Resource
    decision: Decision
    reason: str
    settings: dict[str, Any]
    parked: dict[str, Any]
    snapshot: Snapshot | None = None

    @property
    def ref(self) -> ParkRef:
        r = self.resource
        return ParkRef(r.type_key, r.account, r.region, r.id)

    @property
    def before_after(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The changed fields before and after the action (for dry runs and reports)."""
        if self.snapshot is not None and self.decision is Decision.APPLY and self.parked:
            original = {k: self.snapshot.settings.get(k) for k in self.parked}
            if matches(self.settings, self.parked):  # start: parked -> original
                return dict(self.parked), original
        return {k: self.settings.get(k) for k in self.parked}, dict(self.parked)


@dataclass
class _Progress:
    todo: dict[str, ParkItem]
    awaiting: dict[str, ParkItem] = field(default_factory=dict)
    finished: int = 0
    left: dict[str, str] = field(default_factory=dict)
    last_wait: str = ""
    errors_in_a_row: int = 0


_ACTIVE = (Decision.APPLY, Decision.WAIT, Decision.DONE)


class ParkTaskWork:
    """One attempt of a stop or start task; resumable because every step is committed first.

    stop, per resource: snapshot written (write-once) -> applying -> call -> applied -> verified.
    start, per resource: restoring -> call -> verified field by field -> restored.
    `Checkpoints.reached` is called right after each commit, under the step's name.
    """

    def __init__(
        self,
        action: Action,
        handlers: Mapping[str, ParkHandler],
        items: Mapping[str, list[ParkItem]],
        snapshots: SnapshotRepository,
        checkpoints: Checkpoints,
        monitor: BatchMonitoringService,
        clock: Clock,
        run_id: str,
    ) -> None:
        self._action = action
        self._handlers = handlers
        self._snapshots = snapshots
        self._checkpoints = checkpoints
        self._monitor = monitor
        self._clock = clock
        self._run_id = run_id
        self.progress = {
            task: _Progress({i.resource.id: i for i in group if i.decision in _ACTIVE})
            for task, group in items.items()
        }

    def __call__(self, task: Task) -> TaskStep:
        key = str(task.key)
        state = self.progress.setdefault(key, _Progress({}))
        handler = self._handlers[task.key.type_key]
        try:
            self._verify_all(key, state, handler)
            self._apply_all(key, state, handler)
            state.errors_in_a_row = 0
        except CloudError as error:  # a whole call failed: temporary ones again later, 3 at most
            if not isinstance(error, TemporaryCloudError):
                return TaskStep(StepKind.FAILED, f"{type(error).__name__}: {error}")
            state.errors_in_a_row += 1
            reason = f"{type(error).__name__}: {error}"
            if state.errors_in_a_row >= 3:
                return TaskStep(StepKind.FAILED, f"3 failed calls in a row, last: {reason}")
            return TaskStep(StepKind.RETRY, reason)
        if state.todo or state.awaiting:
            return TaskStep(
                StepKind.RETRY, f"{len(state.todo) + len(state.awaiting)} not settled: {state.last_wait}"
            )
        if state.left:
            return TaskStep(
                StepKind.FAILED, f"{len(state.left)} left: " + "; ".join(sorted(state.left.values()))[:300]
            )
        return TaskStep(StepKind.DONE, f"{state.finished} {'parked' if self._stopping else 'restored'}")

    @property
    def _stopping(self) -> bool:
        return self._action is Action.STOP

    def _apply_all(self, key: str, state: _Progress, handler: ParkHandler) -> None:
        for item in [i for i in state.todo.values() if i.decision is Decision.DONE]:
            self._reconcile(state, item)
        for item in [i for i in state.todo.values() if i.decision is Decision.WAIT]:
            self._redecide(key, state, handler, item)
        items = [i for i in state.todo.values() if i.decision is Decision.APPLY]
        if not items:
            return
        now = self._clock.now
        for item in items:  # write-ahead: every step is committed before the call that needs it
            if self._stopping and item.snapshot is None:
                item.snapshot = Snapshot(
                    item.ref,
                    item.settings,
                    self._run_id,
                    now(),
                    name=item.resource.name,
                    tags=item.resource.tags,
                )
                self._snapshots.take(item.snapshot)
                self._checkpoints.reached("snapshot")
            step = ParkStep.APPLYING if self._stopping else ParkStep.RESTORING
            self._snapshots.move(item.ref.key, step, now(), self._run_id)
            self._checkpoints.reached(step.value)
        first = items[0].resource
        location = Location(first.account, first.region)
        resources = [i.resource for i in items]
        saved = {i.resource.id: i.snapshot.settings for i in items if i.snapshot is not None}
        call = handler.stop if self._stopping else handler.start
        results = {o.resource_id: o for o in call(location, resources, saved)}
        for item in items:
            result = results.get(
                item.resource.id, ResourceOutcome(item.resource.id, OutcomeKind.FAILED, "no answer")
            )
            self._settle_call(key, state, item, result)

    def _reconcile(self, state: _Progress, item: ParkItem) -> None:
        """Already where the action leads: bring the snapshot's step in line, no AWS call."""
        del state.todo[item.resource.id]
        snapshot = item.snapshot
        if snapshot is None:
            return
        if self._stopping and snapshot.step is not ParkStep.VERIFIED:
            self._snapshots.move(
                item.ref.key, ParkStep.VERIFIED, self._clock.now(), self._run_id, "found parked"
            )
        elif not self._stopping:
            self._snapshots.move(
                item.ref.key,
                ParkStep.RESTORED,
                self._clock.now(),
                self._run_id,
                "found running as before: nothing to restore",
            )

    def _redecide(self, key: str, state: _Progress, handler: ParkHandler, item: ParkItem) -> None:
        """A resource that was in transition: look again, and decide as if planning now."""
        current = handler.read(Location(item.resource.account, item.resource.region), item.resource)
        if current is None:
            self._fail(key, state, state.todo, item, "the resource disappeared")
            return
        if handler.in_transition(current):
            state.last_wait = f"{item.resource.id} in transition"
            return
        item.settings = current
        if self._stopping:
            decision, reason = decide_stop(
                item.snapshot, current, item.parked, handler.looks_parked(current), False
            )
        else:
            assert item.snapshot is not None
            decision, reason = decide_start(item.snapshot, current, item.parked, False)
        item.decision, item.reason = decision, reason
        if decision is Decision.DONE:
            self._reconcile(state, item)
        elif decision is not Decision.APPLY:
            self._fail(key, state, state.todo, item, f"{decision.value}: {reason}")

    def _settle_call(self, key: str, state: _Progress, item: ParkItem, result: ResourceOutcome) -> None:
        kind = result.kind
        if kind in (OutcomeKind.DONE, OutcomeKind.PENDING):
            if self._stopping:
                self._snapshots.move(item.ref.key, ParkStep.APPLIED, self._clock.now(), self._run_id)
                self._checkpoints.reached("applied")
            del state.todo[item.resource.id]
            state.awaiting[item.resource.id] = item
        elif kind.is_retryable:
            state.last_wait = result.message or kind.value
        else:
            self._fail(key, state, state.todo, item, f"{kind.value}: {result.message}")

    def _verify_all(self, key: str, state: _Progress, handler: ParkHandler) -> None:
        """Read every resource awaiting confirmation at once, then settle each."""
        awaiting = list(state.awaiting.values())
        if not awaiting:
            return
        first = awaiting[0].resource
        currents = handler.read_many(Location(first.account, first.region), [i.resource for i in awaiting])
        for item in awaiting:
            self._verify(key, state, handler, item, currents.get(item.resource.id))

    def _verify(
        self, key: str, state: _Progress, handler: ParkHandler, item: ParkItem, current: dict[str, Any] | None
    ) -> None:
        resource = item.resource
        if current is None:
            self._fail(key, state, state.awaiting, item, "the resource disappeared")
            return
        assert item.snapshot is not None
        saved = item.snapshot.settings
        target = item.parked if self._stopping else handler.restore_target(saved, item.parked)
        if handler.in_transition(current) or not matches(current, target):
            state.last_wait = f"{resource.id} not there yet"
            return
        del state.awaiting[resource.id]
        state.finished += 1
        if self._stopping:
            self._snapshots.move(item.ref.key, ParkStep.VERIFIED, self._clock.now(), self._run_id)
            self._checkpoints.reached("verified")
            self._monitor.resource_event(
                self._run_id,
                resource,
                self._action.value,
                OutcomeKind.PARKED,
                _describe(item.before_after),
                key,
            )
            return
        # fields parking changed but the restore target leaves to AWS (an on-demand stream's shard
        # count) are not differences; every other saved field is, parking's own or not
        left_to_aws = set(item.parked) - set(target)
        diffs = differences({k: v for k, v in saved.items() if k not in left_to_aws}, current)
        self._snapshots.move(
            item.ref.key, ParkStep.RESTORED, self._clock.now(), self._run_id, "; ".join(diffs)
        )
        self._checkpoints.reached("restored")
        outcome = OutcomeKind.RESTORED_WITH_DIFFERENCES if diffs else OutcomeKind.RESTORED
        self._monitor.resource_event(
            self._run_id,
            resource,
            self._action.value,
            outcome,
            "; ".join(diffs) or _describe(item.before_after),
            key,
        )

    def _fail(
        self, key: str, state: _Progress, source: dict[str, ParkItem], item: ParkItem, why: str
    ) -> None:
        del source[item.resource.id]
        state.left[item.resource.id] = f"{item.resource.id}: {why}"
        if item.snapshot is not None:
            self._snapshots.move(item.ref.key, ParkStep.FAILED, self._clock.now(), self._run_id, why)
        self._monitor.resource_event(
            self._run_id, item.resource, self._action.value, OutcomeKind.FAILED, why, key
        )


def _describe(before_after: tuple[dict[str, Any], dict[str, Any]]) -> str:
    before, after = before_after
    return ", ".join(f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in sorted(after))
