from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass
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
    """What one attempt at a task came to."""

    kind: StepKind
    reason: str = ""


@dataclass(frozen=True)
class WaitPolicy:
    """How long "not yet" outcomes are waited for: exponential delays within a budget per task."""

    budget_seconds: float = 900.0
    first_delay: float = 1.0
    max_delay: float = 15.0
    factor: float = 2.0

    def delay(self, retry_number: int) -> float:
        return float(min(self.max_delay, self.first_delay * self.factor ** max(0, retry_number - 1)))


TaskWork = Callable[[Task], TaskStep]


class ProcessingOrchestrator:
    """Runs a pipeline's task DAG on a TaskExecutor.

    - a task starts as soon as its own prerequisites succeeded (no stage barriers); among ready
      tasks, those heading the longest chains of dependents go first;
    - concurrency is capped overall and per (account, region, service) by a BatchResourceManager;
    - a RETRY step re-queues the task after a growing delay, until its wait budget (counted from its
      first start) is spent, then the task fails;
    - a failed task blocks all its dependents, transitively.

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
    ) -> bool:
        """Run the DAG; returns False when `stop_requested` ended it early.

        Once `stop_requested()` is true no task is started any more, the tasks already running are
        let finish, and the run returns with the rest left planned or waiting (resumable).
        """
        return _Run(self, pipeline, work, run_id, stop_requested or _never).execute()


_SETTLED_OK = frozenset({TaskState.SUCCEEDED, TaskState.SKIPPED})
_SETTLED_BAD = frozenset({TaskState.FAILED, TaskState.BLOCKED})
POLL_SECONDS = 0.5  # how often a blocked wait looks at the stop signal


def _never() -> bool:
    return False


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
    ) -> None:
        self.o = owner
        self.tasks = pipeline.tasks
        self.work = work
        self.run_id = run_id
        self.stop_requested = stop_requested
        self.slots = BatchResourceManager(owner._limits)
        self.dependents = pipeline.dependents()
        # a prerequisite already settled well (skipped, succeeded in this or an earlier run) is met
        self.unmet = {
            key: {r for r in task.requires if self.tasks[r].state not in _SETTLED_OK}
            for key, task in self.tasks.items()
        }
        self.queued: set[TaskKey] = set()  # ready, deferred or running: each key at most once
        self.height = _heights(self.dependents)
        self.ready: list[tuple[int, TaskKey]] = []
        self.deferred: list[tuple[float, int, TaskKey]] = []
        self.seq = itertools.count()
        self.first_start: dict[TaskKey, float] = {}
        self.retries: dict[TaskKey, int] = {}

    def execute(self) -> bool:
        for key, task in sorted(self.tasks.items()):
            if task.state in (TaskState.RUNNING, TaskState.WAITING):
                raise SchedulingError(f"task {key} is {task.state}: runs start from planned or settled tasks")
            if task.state in _SETTLED_BAD:
                self._block_dependents(key)
        for key, task in sorted(self.tasks.items()):
            if task.state is TaskState.PLANNED and not self.unmet[key]:
                self._make_ready(key)
        while True:
            stopping = self.stop_requested()
            if not stopping:
                self._dispatch()
            if self.slots.total == 0 and (stopping or not self.deferred):
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
            self.first_start.setdefault(key, self.o._clock.monotonic())
            self._move(task, TaskState.RUNNING)
            self.o._executor.submit(key, _bind(self.work, task))
        for item in postponed:
            heapq.heappush(self.ready, item)

    def _release_due(self) -> None:
        now = self.o._clock.monotonic()
        while self.deferred and self.deferred[0][0] <= now:
            _, _, key = heapq.heappop(self.deferred)
            self.queued.discard(key)
            self._make_ready(key)

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
        if step.kind is not StepKind.RETRY:
            self.queued.discard(key)
        if step.kind is StepKind.DONE:
            self._move(task, TaskState.SUCCEEDED, step.reason)
            self._resolve(key)
        elif step.kind is StepKind.RETRY:
            retry = self.retries.get(key, 0) + 1
            self.retries[key] = retry
            delay = self.o._wait.delay(retry)
            now = self.o._clock.monotonic()
            if now + delay - self.first_start[key] > self.o._wait.budget_seconds:
                spent = now - self.first_start[key]
                self.queued.discard(key)
                self._move(task, TaskState.FAILED, f"gave up after waiting {spent:.0f}s: {step.reason}")
                self._block_dependents(key)
            else:
                self._move(task, TaskState.WAITING, step.reason)
                heapq.heappush(self.deferred, (now + delay, next(self.seq), key))
        else:
            self._move(task, TaskState.FAILED, step.reason)
            self._block_dependents(key)

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
