"""Properties of the scheduler over random DAGs whose tasks start in any mix of states.

The run starts from what a real run meets: tasks already skipped (nothing to delete), succeeded
(an earlier run), failed or blocked, and planned ones; each attempt of a task answers done, retry,
fail, raises, or waits on the tasks it follows (resource-level edges). Whatever the mix: a task runs
at most once at a time, never before its prerequisites succeeded, dependents of failures are
blocked (followers are not), a task waiting on others is tried again only as one of them ends an
attempt, and every task ends settled.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import (
    ProcessingOrchestrator,
    SchedulingError,
    StepKind,
    TaskStep,
    WaitPolicy,
)
from costzero.application.resource_manager import ConcurrencyLimits
from costzero.domain.planning import Pipeline
from costzero.domain.tasks import Task, TaskKey, TaskState
from tests.fakes.clock import FakeClock
from tests.fakes.executor import SimulatedExecutor

INITIAL = [TaskState.PLANNED, TaskState.SKIPPED, TaskState.SUCCEEDED, TaskState.FAILED, TaskState.BLOCKED]
OK = {TaskState.SUCCEEDED, TaskState.SKIPPED}
STEPS = ["done", "retry", "fail", "raise", "wait"]


def _key(i: int) -> TaskKey:
    return TaskKey(f"svc{i % 3}:type{i}", "1", "us-east-1" if i % 2 else "eu-west-1")


@st.composite
def scenarios(draw):
    n = draw(st.integers(1, 10))
    keys = [_key(i) for i in range(n)]
    requires = {
        keys[i]: frozenset(keys[j] for j in range(i) if draw(st.booleans()) and draw(st.booleans()))
        for i in range(n)
    }
    follows = {
        keys[i]: frozenset(
            keys[j] for j in range(i) if keys[j] not in requires[keys[i]] and draw(st.integers(0, 2)) == 0
        )
        for i in range(n)
    }
    initial = {k: draw(st.sampled_from(INITIAL)) for k in keys}
    answers = {k: draw(st.lists(st.sampled_from(STEPS), max_size=4)) for k in keys}
    durations = {k: draw(st.sampled_from([0.5, 1.0, 3.0])) for k in keys}
    workers = draw(st.integers(1, 4))
    return keys, requires, follows, initial, answers, durations, workers


def _pipeline(keys, requires, initial, follows=None) -> Pipeline:
    tasks = {}
    for k in keys:
        task = Task(k, requires[k], (follows or {}).get(k, frozenset()))
        if initial[k] in (TaskState.FAILED, TaskState.SUCCEEDED):
            task.move(TaskState.RUNNING)
        if initial[k] is not TaskState.PLANNED:
            task.move(initial[k])
        tasks[k] = task
    return Pipeline(tasks)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(scenarios())
def test_any_mix_of_start_states_and_outcomes_ends_settled_in_order(scenario):
    keys, requires, follows, initial, answers, durations, workers = scenario
    pipe = _pipeline(keys, requires, initial, follows)
    clock = FakeClock()
    executor = SimulatedExecutor(clock, lambda k: durations[k])
    monitor = BatchMonitoringService(clock)
    calls: dict[TaskKey, int] = {}
    violations: list[str] = []
    waited: dict[TaskKey, frozenset[TaskKey]] = {}
    attempt_ends: list[tuple[float, TaskKey]] = []  # (end, key) of the attempts ended so far
    last_wait_start: dict[TaskKey, float] = {}

    original_next = executor.next_completed

    def next_completed(timeout):  # type: ignore[no-untyped-def]
        completion = original_next(timeout)
        if completion is not None:
            attempt_ends.append((clock.monotonic(), completion.key))
        return completion

    executor.next_completed = next_completed  # type: ignore[method-assign]

    def work(task: Task) -> TaskStep:
        calls[task.key] = calls.get(task.key, 0) + 1
        if initial[task.key] is not TaskState.PLANNED:
            violations.append(f"{task.key} started although it began {initial[task.key]}")
        for required in task.requires:
            if pipe.tasks[required].state not in OK:
                violations.append(f"{task.key} started before {required} ({pipe.tasks[required].state})")
        if task.key in last_wait_start:
            # tried again only once an attempt of a followed task ended since (or one settled)
            since = last_wait_start.pop(task.key)
            woken = any(t >= since and k in waited[task.key] for t, k in attempt_ends)
            settled = any(pipe.tasks[k].state.is_final for k in waited[task.key])
            if not (woken or settled):
                violations.append(f"{task.key} tried again with nothing it waits on having moved")
        script = answers[task.key]
        answer = script.pop(0) if script else "done"
        if answer == "raise":
            raise KeyError("boom")
        if answer == "wait":  # with nothing followed, a plain "not yet"
            waited[task.key] = task.follows
            if task.follows:
                last_wait_start[task.key] = clock.monotonic()
            return TaskStep(StepKind.RETRY, "linked", waits_on=task.follows, progressed=False)
        waited.pop(task.key, None)
        return TaskStep({"done": StepKind.DONE, "retry": StepKind.RETRY, "fail": StepKind.FAILED}[answer])

    orchestrator = ProcessingOrchestrator(
        executor,
        clock,
        monitor,
        ConcurrencyLimits(max_running=workers, per_group=workers),
        WaitPolicy(budget_seconds=20, first_delay=1, max_delay=4),
    )
    assert orchestrator.run(pipe, work, "run") is True
    assert violations == []
    # at most one attempt of a task at a time
    spans: dict[TaskKey, list[tuple[float, float]]] = {}
    for span in executor.spans:
        spans.setdefault(span.key, []).append((span.start, span.end))  # type: ignore[arg-type]
    for key, attempts in spans.items():
        attempts.sort()
        for (_, end), (start, _) in itertools.pairwise(attempts):
            assert start >= end, f"{key} ran twice at once"
    # every task settled; dependents of anything not settled well are blocked
    for key, task in pipe.tasks.items():
        assert task.state.is_final, f"{key} ended {task.state}"
        if initial[key] is TaskState.PLANNED and any(pipe.tasks[r].state not in OK for r in task.requires):
            assert task.state is TaskState.BLOCKED, f"{key} is {task.state} though a prerequisite failed"
        if task.state is TaskState.BLOCKED and initial[key] is TaskState.PLANNED:
            assert key not in calls
    # a raised exception fails the task at the attempt that raised: never retried after it
    for key in answers:
        if initial[key] is TaskState.PLANNED and pipe.tasks[key].state is TaskState.FAILED:
            assert calls.get(key, 0) >= 1


def test_a_programming_error_fails_the_task_at_once_with_its_name():
    a = _key(0)
    pipe = Pipeline({a: Task(a)})
    clock = FakeClock()
    calls = []

    def work(task: Task) -> TaskStep:
        calls.append(task.key)
        return {}["missing"]  # type: ignore[no-any-return]

    ProcessingOrchestrator(SimulatedExecutor(clock, lambda k: 1.0), clock, BatchMonitoringService(clock)).run(
        pipe, work
    )
    assert len(calls) == 1
    assert pipe.tasks[a].state is TaskState.FAILED
    assert pipe.tasks[a].reason.startswith("KeyError")


def test_a_prerequisite_settled_before_the_run_is_met_once():
    """The crash of issue 7: a snapshot task whose AMI task had nothing to delete (skipped)."""
    image, snapshot = TaskKey("ec2:image", "1", "r"), TaskKey("ec2:snapshot", "1", "r")
    pipe = Pipeline({image: Task(image), snapshot: Task(snapshot, frozenset({image}))})
    pipe.tasks[image].move(TaskState.SKIPPED)
    clock = FakeClock()
    executor = SimulatedExecutor(clock, lambda k: 1.0)
    ProcessingOrchestrator(executor, clock, BatchMonitoringService(clock)).run(
        pipe, lambda t: TaskStep(StepKind.DONE)
    )
    assert [s.key for s in executor.spans] == [snapshot]
    assert pipe.tasks[snapshot].state is TaskState.SUCCEEDED


def test_a_task_left_running_cannot_be_started_again():
    a = _key(0)
    pipe = Pipeline({a: Task(a)})
    pipe.tasks[a].move(TaskState.RUNNING)
    clock = FakeClock()
    orchestrator = ProcessingOrchestrator(
        SimulatedExecutor(clock, lambda k: 1.0), clock, BatchMonitoringService(clock)
    )
    with pytest.raises(SchedulingError):
        orchestrator.run(pipe, lambda t: TaskStep(StepKind.DONE))


def test_a_stop_request_starts_nothing_new_and_lets_running_tasks_finish():
    a, b, c = _key(0), _key(1), _key(2)
    pipe = Pipeline({a: Task(a), b: Task(b, frozenset({a})), c: Task(c, frozenset({b}))})
    clock = FakeClock()
    executor = SimulatedExecutor(clock, lambda k: 1.0)
    started: list[TaskKey] = []

    def work(task: Task) -> TaskStep:
        started.append(task.key)
        return TaskStep(StepKind.DONE)

    finished = ProcessingOrchestrator(executor, clock, BatchMonitoringService(clock)).run(
        pipe, work, stop_requested=lambda: bool(started)
    )
    assert finished is False
    assert started == [a]
    assert pipe.tasks[a].state is TaskState.SUCCEEDED
    assert pipe.tasks[b].state is TaskState.PLANNED and pipe.tasks[c].state is TaskState.PLANNED
