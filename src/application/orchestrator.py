from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.ports import Clock, Completion, TaskExecutor
from costzero.application.resource_manager import BatchResourceManager, ConcurrencyLimits
from costzero.domain.errors import CostZeroError
from costzero.domain.planning import Pipeline
from costzero.domain.tasks import Task, TaskKey, TaskState


class StepKind(StrEnum):
    DONE = "done"
    RETRY = "retry"  # not yet: try this task again later
    FAILED = "failed"


@dataclass(frozen=True)
class TaskStep:
    """What one attempt at a task came to, and for RETRY, what the task waits for.

    - `transitions`: AWS is finishing changes the task asked for (instances shutting down); they
      typically take `expected_seconds`, so the task is checked again around then, then in short
      constant polls;
    - `throttled`: AWS said "slow down": only then are the delays exponential;
    - `waits_on`: other tasks whose resources must be gone first (resource-level dependencies);
      the task is tried again as soon as one of them makes progress, not on a timer;
    - `progressed`: something of this task settled in this attempt (wakes the tasks waiting on it).

    A RETRY with none of these ("not yet", no more known) is tried again after a short delay.
    """

    kind: StepKind
    reason: str = ""
    transitions: bool = False
    expected_seconds: float = 0.0
    throttled: bool = False
    waits_on: frozenset[TaskKey] = frozenset()
    progressed: bool = True


@dataclass(frozen=True)
class WaitPolicy:
    """How "not yet" outcomes are waited for, within a budget of own waiting per task.

    - a transition is checked when it is likely done (`expected_seconds`, or the per-type
      override in `transitions`), then every `poll_fraction` of that (within `min_poll` and
      `max_delay`): short polls for short transitions; no check is further than `max_delay` away;
    - a plain "not yet" is tried again after `first_delay`;
    - only throttling backs off exponentially: `first_delay` x `factor`^n, capped at `max_delay`.

    Waiting for another task's resources (TaskStep.waits_on) spends no budget: that task has its own.
    """

    budget_seconds: float = 900.0
    first_delay: float = 1.0
    max_delay: float = 15.0
    factor: float = 2.0
    min_poll: float = 0.25
    poll_fraction: float = 0.05
    transitions: Mapping[str, float] = field(default_factory=dict)

    def backoff(self, throttled_in_a_row: int) -> float:
        """The delay after the n-th throttled attempt in a row (n >= 1)."""
        return float(min(self.max_delay, self.first_delay * self.factor ** max(0, throttled_in_a_row - 1)))

    def expected(self, type_key: str, hinted: float) -> float:
        return float(self.transitions.get(type_key, hinted))

    def poll(self, expected: float) -> float:
        """The interval of the polls once a transition is due."""
        return float(min(self.max_delay, max(self.min_poll, expected * self.poll_fraction)))


TaskWork = Callable[[Task], TaskStep]
# told when a task ends failed or blocked, so that the work can settle what waits on its resources
SettledHook = Callable[[TaskKey, TaskState], None]


class ProcessingOrchestrator:
    """Runs a pipeline's task DAG on a TaskExecutor.

    - a task starts as soon as its `requires` succeeded (no stage barriers); its `follows` are not
      waited for: its work waits resource by resource and says so (TaskStep.waits_on); among ready
      tasks, those heading the longest chains of dependents and followers go first;
    - concurrency is capped overall and per (account, region, service) by a BatchResourceManager;
    - a RETRY step re-queues the task when what it waits for is likely done (see WaitPolicy and
      TaskStep): a transition around its expected time, throttling after an exponential backoff, a
      wait on other tasks as soon as one of them makes progress; a task whose own waiting exceeds
      the budget fails;
    - a failed task blocks all its dependents, transitively; its followers go on (their work
      blocks what links to the resources it left, told through `on_settled`).

    Every transition is emitted as a TASK event on the monitor.
    """

    def __init__(
        self,
        executor: TaskExecutor,
        clock: Clock,
        monitor: BatchMonitoringService,
        limits: ConcurrencyLimits | None = None,
        wait: WaitPolicy | None = None,
    ) -> None:
        self._executor = executor
        self._clock = clock
        self._monitor = monitor
        self._limits = limits or ConcurrencyLimits()
        self._wait = wait or WaitPolicy()

    def run(
        self,
        pipeline: Pipeline,
        work: TaskWork,
        run_id: str = "",
        stop_requested: Callable[[], bool] | None = None,
        on_settled: SettledHook | None = None,
    ) -> bool:
        """Run the DAG; returns False when `stop_requested` ended it early.

        Once `stop_requested()` is true no task is started any more, the tasks already running are
        let finish, and the run returns with the rest left planned or waiting (resumable).
        `on_settled(key, state)` is called for every task that is or ends failed or blocked.
        """
        return _Run(self, pipeline, work, run_id, stop_requested or _never, on_settled).execute()


_SETTLED_OK = frozenset({TaskState.SUCCEEDED, TaskState.SKIPPED})
_SETTLED_BAD = frozenset({TaskState.FAILED, TaskState.BLOCKED})
POLL_SECONDS = 0.5  # how often a blocked wait looks at the stop signal


def _never() -> bool:
    return False


def _ignore(key: TaskKey, state: TaskState) -> None:
    return None


class SchedulingError(CostZeroError):
    """The orchestrator's own invariant broke (a task queued twice, a task already running)."""


class _Run:
    """The state of one orchestrated run; lives on the calling thread only."""

    def __init__(
        self,
        owner: ProcessingOrchestrator,
        pipeline: Pipeline,
        work: TaskWork,
        run_id: str,
        stop_requested: Callable[[], bool],
        on_settled: SettledHook | None,
    ) -> None:
        self.o = owner
        self.wait = owner._wait
        self.tasks = pipeline.tasks
        self.work = work
        self.run_id = run_id
        self.stop_requested = stop_requested
        self.on_settled = on_settled or _ignore
        self.slots = BatchResourceManager(owner._limits)
        self.dependents = pipeline.dependents()
        # a prerequisite already settled well (skipped, succeeded in this or an earlier run) is met
        self.unmet = {
            key: {r for r in task.requires if self.tasks[r].state not in _SETTLED_OK}
            for key, task in self.tasks.items()
        }
        self.queued: set[TaskKey] = set()  # ready, sleeping or running: each key at most once
        followers = pipeline.followers()
        self.height = _heights({k: self.dependents[k] | followers[k] for k in self.tasks})
        self.ready: list[tuple[int, TaskKey]] = []
        # sleeping tasks: WAITING until a time (an entry in `deferred`) and/or an event (`waiters`)
        self.deferred: list[tuple[float, int, TaskKey]] = []
        self.sleeping: dict[TaskKey, int] = {}  # key -> the `deferred` entry that is live (or -1)
        self.waiters: dict[TaskKey, set[TaskKey]] = {}  # task -> the sleeping tasks it would wake
        self.seq = itertools.count()
        self.last_progress: dict[TaskKey, int] = {}  # task -> number of its latest progress event
        self.dispatched_after: dict[TaskKey, int] = {}  # task -> progress events seen at dispatch
        self.attempt_start: dict[TaskKey, float] = {}
        self.budget_from: dict[TaskKey, float] = {}  # start of the task's own waiting
        self.due: dict[TaskKey, float] = {}  # when the task's transitions are likely done
        self.throttled: dict[TaskKey, int] = {}
        self.event_count = 0

    def execute(self) -> bool:
        for key, task in sorted(self.tasks.items()):
            if task.state in (TaskState.RUNNING, TaskState.WAITING):
                raise SchedulingError(f"task {key} is {task.state}: runs start from planned or settled tasks")
            if task.state in _SETTLED_BAD:
                self.on_settled(key, task.state)
                self._block_dependents(key)
        for key, task in sorted(self.tasks.items()):
            if task.state is TaskState.PLANNED and not self.unmet[key]:
                self._make_ready(key)
        while True:
            stopping = self.stop_requested()
            if not stopping:
                self._dispatch()
                if self.slots.total == 0 and not self.ready and not self.deferred and self.sleeping:
                    self._fail_stuck()
                    continue
            if self.slots.total == 0 and (stopping or not self.sleeping):
                return not stopping
            timeout = POLL_SECONDS
            if self.deferred and not stopping:
                timeout = min(timeout, max(0.0, self.deferred[0][0] - self.o._clock.monotonic()))
            if self.slots.total == 0:
                self.o._clock.sleep(timeout)
            else:
                completion = self.o._executor.next_completed(timeout)
                if completion is not None:
                    self._complete(completion)
            self._release_due()

    # -- scheduling -------------------------------------------------------------------------
    def _make_ready(self, key: TaskKey) -> None:
        if key in self.queued:
            raise SchedulingError(f"task {key} was made ready twice in one attempt")
        self.queued.add(key)
        heapq.heappush(self.ready, (-self.height[key], key))

    def _dispatch(self) -> None:
        postponed: list[tuple[int, TaskKey]] = []
        while self.ready and self.slots.total < self.o._limits.max_running:
            item = heapq.heappop(self.ready)
            key = item[1]
            if not self.slots.can_start(key):
                postponed.append(item)
                continue
            self.slots.acquire(key)
            task = self.tasks[key]
            now = self.o._clock.monotonic()
            self.attempt_start[key] = now
            self.dispatched_after[key] = self.event_count
            self._move(task, TaskState.RUNNING)
            self.o._executor.submit(key, _bind(self.work, task))
        for item in postponed:
            heapq.heappush(self.ready, item)

    def _sleep(self, key: TaskKey, until: float | None) -> None:
        entry = -1
        if until is not None:
            entry = next(self.seq)
            heapq.heappush(self.deferred, (until, entry, key))
        self.sleeping[key] = entry

    def _wake(self, key: TaskKey) -> None:
        """Make a sleeping task ready now; its pending `deferred` entry, if any, goes stale."""
        del self.sleeping[key]
        self.queued.discard(key)
        self._make_ready(key)

    def _release_due(self) -> None:
        now = self.o._clock.monotonic()
        while self.deferred and self.deferred[0][0] <= now:
            _, entry, key = heapq.heappop(self.deferred)
            if self.sleeping.get(key) == entry:
                self._wake(key)

    def _progress(self, key: TaskKey) -> None:
        """`key` made progress (something settled, or it ended): wake the tasks waiting on it."""
        self.event_count += 1
        self.last_progress[key] = self.event_count
        for waiter in sorted(self.waiters.pop(key, ())):
            if waiter in self.sleeping:
                self._wake(waiter)

    def _complete(self, completion: Completion) -> None:
        key = completion.key
        assert isinstance(key, TaskKey)
        self.slots.release(key)
        task = self.tasks[key]
        if completion.error is not None:
            # an exception out of task work is never "not yet": the work retries what AWS says to
            # retry itself, so whatever escapes (a bug included) fails the task at once, named
            error = completion.error
            message = str(error) if isinstance(error, CostZeroError) else f"{type(error).__name__}: {error}"
            step = TaskStep(StepKind.FAILED, message)
        else:
            step = completion.result
            assert isinstance(step, TaskStep)
        if step.kind is StepKind.DONE:
            self.queued.discard(key)
            self._move(task, TaskState.SUCCEEDED, step.reason)
            self._resolve(key)
            self._progress(key)
        elif step.kind is StepKind.RETRY:
            self._retry(key, task, step)
            if step.progressed:
                self._progress(key)
        else:
            self.queued.discard(key)
            self._fail(key, step.reason)

    def _retry(self, key: TaskKey, task: Task, step: TaskStep) -> None:
        now = self.o._clock.monotonic()
        live = {k for k in step.waits_on if k != key and not self.tasks[k].state.is_final}
        for other in live:
            self.waiters.setdefault(other, set()).add(key)
        if step.throttled:
            self.throttled[key] = self.throttled.get(key, 0) + 1
        else:
            self.throttled.pop(key, None)
        if not step.transitions:
            self.due.pop(key, None)
        if live and not step.transitions and not step.throttled:
            # waiting on other tasks only: no timer and no budget, those tasks have their own
            self.budget_from.pop(key, None)
            self._move(task, TaskState.WAITING, step.reason)
            self._sleep(key, None)
            if any(self.last_progress.get(k, 0) > self.dispatched_after[key] for k in live):
                self._wake(key)  # one of them made progress while this attempt ran
            return
        if step.throttled:
            delay = self.wait.backoff(self.throttled[key])
        elif step.transitions:
            expected = self.wait.expected(key.type_key, step.expected_seconds)
            due = self.due.setdefault(key, now + expected)
            delay = min(self.wait.max_delay, max(due - now, self.wait.poll(expected)))
        else:
            delay = self.wait.first_delay
        started = self.budget_from.setdefault(key, self.attempt_start[key])
        remaining = started + self.wait.budget_seconds - now
        if remaining <= 0 or (delay > remaining and not step.transitions):
            self.queued.discard(key)
            self._fail(key, f"gave up after waiting {now - started:.0f}s: {step.reason}")
            return
        delay = min(delay, remaining)  # a transition expected after the budget: a last look at its end
        self._move(task, TaskState.WAITING, step.reason)
        self._sleep(key, now + delay)

    def _fail(self, key: TaskKey, reason: str) -> None:
        self._move(self.tasks[key], TaskState.FAILED, reason)
        self.on_settled(key, TaskState.FAILED)
        self._block_dependents(key)
        self._progress(key)

    def _fail_stuck(self) -> None:
        """Nothing runs or is due, and tasks sleep on tasks that cannot progress: a work bug."""
        for key in sorted(self.sleeping):
            if key not in self.sleeping:  # woken by a failure just above: it runs once more
                continue
            del self.sleeping[key]
            self.queued.discard(key)
            self._fail(key, "waits on tasks that can no longer make progress")

    def _resolve(self, key: TaskKey) -> None:
        for dependent in sorted(self.dependents[key]):
            unmet = self.unmet[dependent]
            unmet.discard(key)
            if not unmet and self.tasks[dependent].state is TaskState.PLANNED:
                self._make_ready(dependent)

    def _block_dependents(self, key: TaskKey) -> None:
        stack = list(self.dependents[key])
        while stack:
            dependent = stack.pop()
            task = self.tasks[dependent]
            if task.state is TaskState.PLANNED:
                self._move(task, TaskState.BLOCKED, f"blocked by {key}")
                self.on_settled(dependent, TaskState.BLOCKED)
                self._progress(dependent)
                stack.extend(self.dependents[dependent])

    def _move(self, task: Task, to: TaskState, reason: str = "") -> None:
        task.move(to, reason)
        self.o._monitor.task_event(self.run_id, task, reason)


def _bind(work: TaskWork, task: Task) -> Callable[[], TaskStep]:
    return lambda: work(task)


def _heights(dependents: dict[TaskKey, set[TaskKey]]) -> dict[TaskKey, int]:
    """Length of the longest chain of dependents below each task (0 for a leaf)."""
    heights: dict[TaskKey, int] = {}

    def height(key: TaskKey) -> int:
        if key not in heights:
            heights[key] = 1 + max((height(d) for d in dependents[key]), default=-1)
        return heights[key]

    for key in dependents:
        height(key)
    return heights
