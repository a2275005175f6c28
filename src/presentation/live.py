"""The live view of a real run: what it is doing, per task, per resource, and how far it has got."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from costzero.domain.events import EventKind, RunEvent
from costzero.domain.outcomes import OutcomeGroup, OutcomeKind
from costzero.domain.tasks import TaskState

_GROUP_STYLE = {
    OutcomeGroup.FINISHED: "green",
    OutcomeGroup.PLANNED: "blue",
    OutcomeGroup.WAITING: "yellow",
    OutcomeGroup.LEFT_ALONE: "magenta",
    OutcomeGroup.LEFT: "red",
}
_TASK_STYLE = {
    TaskState.SUCCEEDED: "green",
    TaskState.RUNNING: "cyan",
    TaskState.WAITING: "yellow",
    TaskState.FAILED: "red",
    TaskState.BLOCKED: "red",
    TaskState.SKIPPED: "dim",
}
_STYLE: dict[str, str] = {
    **{str(kind): _GROUP_STYLE[kind.group] for kind in OutcomeKind},
    **{str(state): style for state, style in _TASK_STYLE.items()},  # "failed", "blocked": red either way
}


# what each resource outcome counts as in the footer
def _of(group: OutcomeGroup) -> frozenset[str]:
    return frozenset(str(kind) for kind in OutcomeKind if kind.group is group)


FINISHED = _of(OutcomeGroup.FINISHED)
WAITING = _of(OutcomeGroup.WAITING)
KEPT = _of(OutcomeGroup.LEFT_ALONE)
FAILED = _of(OutcomeGroup.LEFT)
_DONE_WORD = {"destroying": "deleted", "stopping": "parked", "starting": "restored"}


class LiveRunView:
    """Per-task state and counts, recent events with their full messages, and a footer of resource
    counts with elapsed time and an estimate of what is left.

    Fed by monitor events from worker threads; `render()` is called by Rich's refresh thread.

    Args:
        doing: what the run does, for the title ("destroying", "stopping", "starting").
        total: how many resources the run covers (its targets plus those it keeps), for "left".
        clock: seconds, monotonic; injected by tests.
    """

    def __init__(
        self,
        doing: str = "destroying",
        total: int = 0,
        *,
        title: str = "",
        recent: int = 8,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._doing = doing
        self._title = title or f"{doing} {total} resources"
        self._total = total
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self._tasks: dict[str, str] = {}
        self._per_task: dict[str, Counter[str]] = {}
        self._latest: dict[tuple[str, str], str] = {}  # (task, resource) -> its latest outcome
        self._recent: deque[RunEvent] = deque(maxlen=recent)

    def __call__(self, event: RunEvent) -> None:
        with self._lock:
            if event.kind is EventKind.TASK:
                self._tasks[event.task_key] = event.state
            elif event.kind is EventKind.RESOURCE:
                self._per_task.setdefault(event.task_key, Counter())[event.state] += 1
                self._latest[(event.task_key, event.resource_id)] = event.state
                self._recent.append(event)

    def counts(self) -> dict[str, int]:
        """Resources by where they stand: finished, waiting, kept, failed, left."""
        with self._lock:
            latest = Counter(self._latest.values())
        finished = sum(n for k, n in latest.items() if k in FINISHED)
        waiting = sum(n for k, n in latest.items() if k in WAITING)
        kept = sum(n for k, n in latest.items() if k in KEPT)
        failed = sum(n for k, n in latest.items() if k in FAILED)
        total = max(self._total, sum(latest.values()))
        return {
            "finished": finished,
            "waiting": waiting,
            "kept": kept,
            "failed": failed,
            "left": total - finished - kept - failed,
        }

    def render(self) -> RenderableType:
        counts = self.counts()
        with self._lock:
            tasks = Table(title=self._title, expand=False)
            for column in ("task", "state", _DONE_WORD.get(self._doing, "done"), "waiting/left"):
                tasks.add_column(column)
            skipped = 0
            for key in sorted(self._tasks):
                state = self._tasks[key]
                if state == "skipped":
                    skipped += 1
                    continue
                per = self._per_task.get(key, Counter())
                finished = sum(n for k, n in per.items() if k in FINISHED)
                other = sum(n for k, n in per.items() if k not in FINISHED and k != "pending")
                tasks.add_row(key, Text(state, _STYLE.get(state, "")), str(finished), str(other or ""))
            if skipped:
                tasks.caption = f"{skipped} skipped tasks hidden (nothing to do)"
            recent = Table(title="recent events", expand=True)
            recent.add_column("outcome", no_wrap=True)
            recent.add_column("resource", overflow="fold")
            recent.add_column("task", overflow="fold")
            recent.add_column("message", overflow="fold", ratio=1)
            for event in self._recent:
                recent.add_row(
                    Text(event.state, _STYLE.get(event.state, "")),
                    event.resource_id,
                    event.task_key,
                    event.message,
                )
        return Group(tasks, recent, Text(self._footer(counts)))

    def _footer(self, counts: dict[str, int]) -> str:
        elapsed = self._clock() - self._started
        settled = counts["finished"] + counts["kept"] + counts["failed"]
        if counts["left"] == 0:
            eta = "ETA 0:00"
        elif counts["finished"]:
            eta = f"ETA {_clock_text(elapsed / settled * counts['left'])}"
        else:
            eta = "ETA unknown"
        return (
            f"{_DONE_WORD.get(self._doing, 'done')} {counts['finished']}, waiting {counts['waiting']}, "
            f"kept {counts['kept']}, failed {counts['failed']}, left {counts['left']}"
            f"  |  elapsed {_clock_text(elapsed)}, {eta}"
        )


def _clock_text(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"
