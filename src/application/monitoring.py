from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from costzero.application.ports import Clock
from costzero.domain.events import EventKind, RunEvent
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Resource
from costzero.domain.tasks import Task

__all__ = ["BatchMonitoringService", "EventKind", "RunEvent", "Subscriber"]

Subscriber = Callable[[RunEvent], None]


class BatchMonitoringService:
    """Fans progress events out to subscribers (live view, run store) and keeps running totals.

    Thread-safe: workers emit concurrently. Its lock guards only its own totals and subscriber list;
    subscribers are called outside it, on the emitting thread, so a slow one (a database write, the
    live view) never holds up another worker's event. Subscribers that keep state guard it
    themselves. The monitor reports what happened; it never changes a task.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._subscribers: tuple[Subscriber, ...] = ()
        self._lock = threading.Lock()
        self._outcomes: dict[str, Counter[OutcomeKind]] = {}

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers = (*self._subscribers, subscriber)

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = tuple(s for s in self._subscribers if s is not subscriber)

        return unsubscribe

    def emit(self, kind: EventKind, run_id: str, **fields: object) -> RunEvent:
        event = RunEvent(kind=kind, run_id=run_id, at=self._clock.now(), **fields)  # type: ignore[arg-type]
        with self._lock:
            if kind is EventKind.RESOURCE:
                self._outcomes.setdefault(run_id, Counter())[OutcomeKind(event.state)] += 1
            subscribers = self._subscribers
        for subscriber in subscribers:
            subscriber(event)
        return event

    def task_event(self, run_id: str, task: Task, reason: str = "") -> None:
        """Tell every subscriber where a task now stands, and why (the caller has moved it)."""
        self.emit(EventKind.TASK, run_id, task_key=str(task.key), state=task.state.value, message=reason)

    def resource_event(
        self,
        run_id: str,
        resource: Resource,
        action: str,
        outcome: OutcomeKind,
        message: str = "",
        task_key: str = "",
    ) -> None:
        self.emit(
            EventKind.RESOURCE,
            run_id,
            task_key=task_key or f"{resource.type_key}@{resource.account}/{resource.region}",
            resource_id=resource.id,
            action=action,
            state=outcome,
            message=message,
            data={"type": resource.type_key, "region": resource.region, "name": resource.name or ""},
        )

    def run_outcomes(self, run_id: str) -> Counter[OutcomeKind]:
        """How many resource events of each outcome the run has emitted so far."""
        with self._lock:
            return Counter(self._outcomes.get(run_id, Counter()))
