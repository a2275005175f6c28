from __future__ import annotations

from costzero.application.monitoring import EventKind, RunEvent
from costzero.application.ports import RunRepository


class RunRecorder:
    """Persists task transitions and resource actions of a run as they happen."""

    def __init__(self, runs: RunRepository) -> None:
        self._runs = runs

    def __call__(self, event: RunEvent) -> None:
        if event.kind is EventKind.TASK:
            self._runs.record_task(event.run_id, event.task_key, event.state, event.at, event.message)
        elif event.kind is EventKind.RESOURCE:
            self._runs.record_action(
                event.run_id,
                event.task_key,
                event.resource_id,
                event.action,
                event.state,
                event.at,
                event.message,
            )
