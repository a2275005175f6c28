"""The monitor reports; it never changes a task, and never calls a subscriber under its lock."""

from __future__ import annotations

import threading

from costzero.application.monitoring import BatchMonitoringService
from costzero.domain.events import EventKind
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Resource
from costzero.domain.tasks import Task, TaskKey, TaskState
from tests.fakes.clock import FakeClock


def test_a_slow_subscriber_does_not_hold_up_another_threads_event():
    monitor = BatchMonitoringService(FakeClock())
    inside, other_done = threading.Event(), threading.Event()
    seen: list[str] = []

    def slow(event):
        seen.append(event.message)
        if event.message == "first":
            inside.set()
            # while this subscriber is busy (a database write, the live view), another worker emits
            assert other_done.wait(5), "the other thread's emit waited for this subscriber"

    monitor.subscribe(slow)

    def emit_from_another_worker():
        inside.wait(5)
        monitor.emit(EventKind.RUN_STARTED, "r", message="second")
        other_done.set()

    other = threading.Thread(target=emit_from_another_worker)
    other.start()
    monitor.emit(EventKind.RUN_STARTED, "r", message="first")
    other.join(5)
    assert other_done.is_set() and sorted(seen) == ["first", "second"]


def test_task_events_report_a_task_without_moving_it():
    monitor = BatchMonitoringService(FakeClock())
    events = []
    monitor.subscribe(events.append)
    task = Task(TaskKey("ec2:volume", "1", "us-east-1"))
    task.move(TaskState.RUNNING)
    monitor.task_event("r", task, "started")
    assert task.state is TaskState.RUNNING and task.history == [TaskState.PLANNED]
    assert [(e.kind, e.state, e.message) for e in events] == [(EventKind.TASK, "running", "started")]


def test_resource_outcomes_are_counted_by_kind():
    monitor = BatchMonitoringService(FakeClock())
    volume = Resource("ec2:volume", "vol-1", "1", "us-east-1")
    monitor.resource_event("r", volume, "delete", OutcomeKind.DONE)
    monitor.resource_event("r", volume, "delete", OutcomeKind.KEPT, "tag keep=true")
    assert monitor.run_outcomes("r") == {OutcomeKind.DONE: 1, OutcomeKind.KEPT: 1}
