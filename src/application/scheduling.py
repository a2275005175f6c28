"""One orchestrated run: the ready queue, the timers, the wake-ups and the task states."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.ports import Clock, Completion, TaskExecutor
from costzero.application.resource_manager import BatchResourceManager, ConcurrencyLimits
from costzero.application.task_steps import SettledHook, StepKind, TaskStep, TaskWork, WaitPolicy
from costzero.domain.errors import CostZeroError
from costzero.domain.planning import Pipeline
from costzero.domain.tasks import Task, TaskKey, TaskState


@dataclass(frozen=True)
class Engine:
    """What a scheduled run works with (the orchestrator's parts)."""

    executor: TaskExecutor
    clock: Clock
    monitor: BatchMonitoringService
    limits: ConcurrencyLimits
    wait: WaitPolicy


_SETTLED_OK = frozenset({TaskState.SUCCEEDED, TaskState.SKIPPED})
_SETTLED_BAD = frozenset({TaskState.FAILED, TaskState.BLOCKED})
POLL_SECONDS = 0.5  # how often a blocked wait looks at the stop signal


def never() -> bool:
    return False


def _ignore(key: TaskKey, state: TaskState) -> None:
    return None


class SchedulingError(CostZeroError):
    """The orchestrator's own invariant broke (a task queued twice, a task already running)."""


class ScheduledRun:
    """The state of one orchestrated run; lives on the calling thread only."""

    def __init__(
        self,
        owner: Engine,
        pipeline: Pipeline,
        work: TaskWork,
        run_id: str,
        stop_requested: Callable[[], bool],
        on_settled: SettledHook | None,
    ) -> None:
        self.o = owner
        self.wait = owner.wait
        self.tasks = pipeline.tasks
        self.work = work
        self.run_id = run_id
        self.stop_requested = stop_requested
        self.on_settled = on_settled or _ignore
        self.slots = BatchResourceManager(owner.limits)
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
            if not stopping:  # start what is ready, within the caps; the rest waits for a slot
                postponed: list[tuple[int, TaskKey]] = []
                while self.ready and self.slots.total < self.o.limits.max_running:
                    item = heapq.heappop(self.ready)
                    key = item[1]
                    if not self.slots.can_start(key):
                        postponed.append(item)
                        continue
                    self.slots.acquire(key)
                    self.attempt_start[key] = self.o.clock.monotonic()
                    self.dispatched_after[key] = self.event_count
                    self._move(self.tasks[key], TaskState.RUNNING)
                    self.o.executor.submit(key, _bind(self.work, self.tasks[key]))
                for item in postponed:
                    heapq.heappush(self.ready, item)
                if self.slots.total == 0 and not self.ready and not self.deferred and self.sleeping:
                    self._fail_stuck()
                    continue
            if self.slots.total == 0 and (stopping or not self.sleeping):
                return not stopping
            timeout = POLL_SECONDS
            if self.deferred and not stopping:
                timeout = min(timeout, max(0.0, self.deferred[0][0] - self.o.clock.monotonic()))
            if self.slots.total == 0:
                self.o.clock.sleep(timeout)
            else:
                completion = self.o.executor.next_completed(timeout)
                if completion is not None:
                    self._complete(completion)
            self._release_due()

    # -- scheduling -------------------------------------------------------------------------
    def _make_ready(self, key: TaskKey) -> None:
        if key in self.queued:
            raise SchedulingError(f"task {key} was made ready twice in one attempt")
        self.queued.add(key)
        heapq.heappush(self.ready, (-self.height[key], key))

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
        now = self.o.clock.monotonic()
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
        now = self.o.clock.monotonic()
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
        self.o.monitor.task_event(self.run_id, task, reason)


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
