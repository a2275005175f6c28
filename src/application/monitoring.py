from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from costzero.application.ports import Clock
from costzero.domain.resources import Resource
from costzero.domain.tasks import Task, TaskState


class EventKind(StrEnum):
    RUN_STARTED = "run-started"
    TASK = "task"
    RESOURCE = "resource"
    RUN_FINISHED = "run-finished"


@dataclass(frozen=True)
class RunEvent:
    """One progress event. `state` is a task state for TASK events and an outcome for RESOURCE."""

    kind: EventKind
    run_id: str
    at: datetime
    task_key: str = ""
    state: str = ""
    resource_id: str = ""
    action: str = ""
    message: str = ""
    data: dict[str, object] = field(default_factory=dict)


Subscriber = Callable[[RunEvent], None]


class BatchMonitoringService:
    """Fans progress events out to subscribers (live view, run store) and keeps running totals.

    Thread-safe: workers emit concurrently; subscribers are called one event at a time.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()
        self._outcomes: dict[str, Counter[str]] = {}
        self.task_states: dict[str, str] = {}

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def emit(self, kind: EventKind, run_id: str, **fields: object) -> RunEvent:
        event = RunEvent(kind=kind, run_id=run_id, at=self._clock.now(), **fields)  # type: ignore[arg-type]
        with self._lock:
            if kind is EventKind.RESOURCE:
                self._outcomes.setdefault(run_id, Counter())[event.state] += 1
            elif kind is EventKind.TASK:
                self.task_states[event.task_key] = event.state
            for subscriber in list(self._subscribers):
                subscriber(event)
        return event

    def task_moved(self, run_id: str, task: Task, to: TaskState, reason: str = "") -> None:
        """Move a task through its lifecycle and tell every subscriber."""
        task.move(to, reason)
        self.emit(EventKind.TASK, run_id, task_key=str(task.key), state=to.value, message=reason)

    def resource_event(
        self, run_id: str, resource: Resource, action: str, state: str, message: str = "", task_key: str = ""
    ) -> None:
        self.emit(
            EventKind.RESOURCE,
            run_id,
            task_key=task_key or f"{resource.type_key}@{resource.account}/{resource.region}",
            resource_id=resource.id,
            action=action,
            state=state,
            message=message,
            data={"type": resource.type_key, "region": resource.region, "name": resource.name or ""},
        )

    def run_outcomes(self, run_id: str) -> Counter[str]:
        """How many resource events of each outcome the run has emitted so far."""
        with self._lock:
            return Counter(self._outcomes.get(run_id, Counter()))
