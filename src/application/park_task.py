"""The shared skeleton of one attempt at a stop or start task: verify what awaits confirmation,
then apply what is to change, every step committed before the call that needs it.

`StopWork` (park_stop) and `StartWork` (park_start) fill in what differs; `park_work.work_for`
picks one by action.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import StepKind, TaskStep
from costzero.application.park_item import ParkItem
from costzero.application.ports import Checkpoints, Clock, ParkHandler, SnapshotRepository
from costzero.domain.errors import CloudError, TemporaryCloudError, ThrottledError
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.parking import Decision, ParkStep, Snapshot, matches
from costzero.domain.resources import Action, Location, Resource
from costzero.domain.tasks import Task


@dataclass
class Progress:
    """Where one task stands across its attempts."""

    todo: dict[str, ParkItem]
    awaiting: dict[str, ParkItem] = field(default_factory=dict)
    finished: int = 0
    left: dict[str, str] = field(default_factory=dict)
    last_wait: str = ""
    errors_in_a_row: int = 0


_ACTIVE = (Decision.APPLY, Decision.WAIT, Decision.DONE)


# a handler's batch stop or start: (location, resources, saved settings by id) -> outcomes
ParkCall = Callable[[Location, Sequence[Resource], Mapping[str, Mapping[str, Any]]], list[ResourceOutcome]]


class ParkTaskWork(ABC):
    """One attempt of a stop or start task; resumable because every step is committed first.

    Per attempt: read everything awaiting confirmation at once and settle it; bring the snapshots of
    resources already where the action leads in line; look again at those that were in transition;
    commit the step of every resource to change, then make one call for them.
    `Checkpoints.reached` is called right after each commit, under the step's name.
    """

    action: ClassVar[Action]
    finished_word: ClassVar[str]  # "3 parked", "3 restored"

    def __init__(
        self,
        handlers: Mapping[str, ParkHandler],
        items: Mapping[str, list[ParkItem]],
        snapshots: SnapshotRepository,
        checkpoints: Checkpoints,
        monitor: BatchMonitoringService,
        clock: Clock,
        run_id: str,
    ) -> None:
        self._handlers = handlers
        self._snapshots = snapshots
        self._checkpoints = checkpoints
        self._monitor = monitor
        self._clock = clock
        self._run_id = run_id
        self.progress = {
            task: Progress({i.resource.id: i for i in group if i.decision in _ACTIVE})
            for task, group in items.items()
        }

    # -- what a stop and a start do differently --------------------------------------------------
    @abstractmethod
    def _reconcile(self, item: ParkItem, snapshot: Snapshot) -> None:
        """The resource is already where the action leads: bring its snapshot's step in line."""

    @abstractmethod
    def _commit(self, item: ParkItem) -> None:
        """Commit what must be stored before the call is made for the item."""

    @abstractmethod
    def _operation(self, handler: ParkHandler) -> ParkCall:
        """The handler's batch call for this action (`handler.stop` or `handler.start`)."""

    @abstractmethod
    def _accepted(self, item: ParkItem) -> None:
        """The call was accepted for the item (DONE or PENDING): it now awaits confirmation."""

    @abstractmethod
    def _redecide(
        self, handler: ParkHandler, item: ParkItem, current: dict[str, Any]
    ) -> tuple[Decision, str]:
        """The decision for an item that was in transition and no longer is."""

    @abstractmethod
    def _target(self, handler: ParkHandler, item: ParkItem, saved: Mapping[str, Any]) -> dict[str, Any]:
        """The settings that confirm the action for the item."""

    @abstractmethod
    def _confirmed(
        self, key: str, item: ParkItem, current: dict[str, Any], target: Mapping[str, Any]
    ) -> None:
        """The resource is seen at its target: commit and report it."""

    # -- the shared skeleton ---------------------------------------------------------------------
    def __call__(self, task: Task) -> TaskStep:
        key = str(task.key)
        state = self.progress.setdefault(key, Progress({}))
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
            return TaskStep(StepKind.RETRY, reason, throttled=isinstance(error, ThrottledError))
        if state.todo or state.awaiting:  # checked again when AWS has likely finished the changes
            return TaskStep(
                StepKind.RETRY,
                f"{len(state.todo) + len(state.awaiting)} not settled: {state.last_wait}",
                transitions=bool(state.awaiting),
                expected_seconds=handler.spec.transition_seconds,
            )
        if state.left:
            return TaskStep(
                StepKind.FAILED, f"{len(state.left)} left: " + "; ".join(sorted(state.left.values()))[:300]
            )
        return TaskStep(StepKind.DONE, f"{state.finished} {self.finished_word}")

    def _apply_all(self, key: str, state: Progress, handler: ParkHandler) -> None:
        for item in [i for i in state.todo.values() if i.decision is Decision.DONE]:
            self._settled_already(state, item)
        for item in [i for i in state.todo.values() if i.decision is Decision.WAIT]:
            self._look_again(key, state, handler, item)
        items = [i for i in state.todo.values() if i.decision is Decision.APPLY]
        if not items:
            return
        for item in items:  # write-ahead: every step is committed before the call that needs it
            self._commit(item)
        first = items[0].resource
        location = Location(first.account, first.region)
        resources = [i.resource for i in items]
        saved = {i.resource.id: i.snapshot.settings for i in items if i.snapshot is not None}
        results = {o.resource_id: o for o in self._operation(handler)(location, resources, saved)}
        for item in items:
            result = results.get(
                item.resource.id, ResourceOutcome(item.resource.id, OutcomeKind.FAILED, "no answer")
            )
            self._settle_call(key, state, item, result)

    def _settled_already(self, state: Progress, item: ParkItem) -> None:
        """Already where the action leads: no AWS call."""
        del state.todo[item.resource.id]
        if item.snapshot is not None:
            self._reconcile(item, item.snapshot)

    def _look_again(self, key: str, state: Progress, handler: ParkHandler, item: ParkItem) -> None:
        """A resource that was in transition: look again, and decide as if planning now."""
        current = handler.read(Location(item.resource.account, item.resource.region), item.resource)
        if current is None:
            self._fail(key, state, state.todo, item, "the resource disappeared")
            return
        if handler.in_transition(current):
            state.last_wait = f"{item.resource.id} in transition"
            return
        item.settings = current
        item.decision, item.reason = self._redecide(handler, item, current)
        if item.decision is Decision.DONE:
            self._settled_already(state, item)
        elif item.decision is not Decision.APPLY:
            self._fail(key, state, state.todo, item, f"{item.decision.value}: {item.reason}")

    def _settle_call(self, key: str, state: Progress, item: ParkItem, result: ResourceOutcome) -> None:
        kind = result.kind
        if kind in (OutcomeKind.DONE, OutcomeKind.PENDING):
            self._accepted(item)
            del state.todo[item.resource.id]
            state.awaiting[item.resource.id] = item
        elif kind.is_retryable:
            state.last_wait = result.message or kind.value
        else:
            self._fail(key, state, state.todo, item, f"{kind.value}: {result.message}")

    def _verify_all(self, key: str, state: Progress, handler: ParkHandler) -> None:
        """Read every resource awaiting confirmation at once, then settle each."""
        awaiting = list(state.awaiting.values())
        if not awaiting:
            return
        first = awaiting[0].resource
        currents = handler.read_many(Location(first.account, first.region), [i.resource for i in awaiting])
        for item in awaiting:
            self._verify(key, state, handler, item, currents.get(item.resource.id))

    def _verify(
        self, key: str, state: Progress, handler: ParkHandler, item: ParkItem, current: dict[str, Any] | None
    ) -> None:
        if current is None:
            self._fail(key, state, state.awaiting, item, "the resource disappeared")
            return
        assert item.snapshot is not None
        target = self._target(handler, item, item.snapshot.settings)
        if handler.in_transition(current) or not matches(current, target):
            state.last_wait = f"{item.resource.id} not there yet"
            return
        del state.awaiting[item.resource.id]
        state.finished += 1
        self._confirmed(key, item, current, target)

    def _move(self, item: ParkItem, step: ParkStep, message: str = "") -> None:
        self._snapshots.move(item.ref.key, step, self._clock.now(), self._run_id, message)

    def _report(self, key: str, item: ParkItem, outcome: OutcomeKind, message: str) -> None:
        self._monitor.resource_event(self._run_id, item.resource, self.action.value, outcome, message, key)

    def _fail(self, key: str, state: Progress, source: dict[str, ParkItem], item: ParkItem, why: str) -> None:
        del source[item.resource.id]
        state.left[item.resource.id] = f"{item.resource.id}: {why}"
        if item.snapshot is not None:
            self._move(item, ParkStep.FAILED, why)
        self._report(key, item, OutcomeKind.FAILED, why)
