from __future__ import annotations

import threading
from collections import Counter, deque

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from costzero.application.monitoring import EventKind, RunEvent

_STYLE = {
    "succeeded": "green",
    "done": "green",
    "gone": "green",
    "running": "cyan",
    "waiting": "yellow",
    "pending": "cyan",
    "not-yet": "yellow",
    "throttled": "yellow",
    "failed": "red",
    "denied": "red",
    "blocked": "red",
    "protected": "magenta",
    "kept": "magenta",
    "skipped": "dim",
    "would-delete": "blue",
}


class LiveRunView:
    """What the live view shows: per-task state and counts, recent events, totals.

    Fed by monitor events from worker threads; `render()` is called by Rich's refresh thread.
    """

    def __init__(self, recent: int = 8) -> None:
        self._lock = threading.Lock()
        self._tasks: dict[str, str] = {}
        self._per_task: dict[str, Counter[str]] = {}
        self._recent: deque[RunEvent] = deque(maxlen=recent)
        self._totals: Counter[str] = Counter()

    def __call__(self, event: RunEvent) -> None:
        with self._lock:
            if event.kind is EventKind.TASK:
                self._tasks[event.task_key] = event.state
            elif event.kind is EventKind.RESOURCE:
                self._per_task.setdefault(event.task_key, Counter())[event.state] += 1
                self._totals[event.state] += 1
                self._recent.append(event)

    def render(self) -> RenderableType:
        with self._lock:
            tasks = Table(title="tasks", expand=False)
            for column in ("task", "state", "deleted", "waiting/left"):
                tasks.add_column(column)
            for key in sorted(self._tasks):
                state = self._tasks[key]
                counts = self._per_task.get(key, Counter())
                deleted = counts["done"] + counts["gone"]
                other = sum(n for k, n in counts.items() if k not in ("done", "gone", "pending"))
                tasks.add_row(key, Text(state, _STYLE.get(state, "")), str(deleted), str(other or ""))
            recent = Table(title="recent events", expand=False)
            for column in ("outcome", "resource", "task", "message"):
                recent.add_column(column)
            for event in self._recent:
                recent.add_row(
                    Text(event.state, _STYLE.get(event.state, "")),
                    event.resource_id,
                    event.task_key,
                    event.message[:60],
                )
            totals = Text(
                "  ".join(f"{k}: {n}" for k, n in sorted(self._totals.items())) or "waiting for events"
            )
            return Group(tasks, recent, totals)
