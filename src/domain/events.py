from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class EventKind(StrEnum):
    RUN_STARTED = "run-started"
    TASK = "task"
    RESOURCE = "resource"
    RUN_FINISHED = "run-finished"


@dataclass(frozen=True)
class RunEvent:
    """One progress event. `state` is a TaskState value for TASK events, an OutcomeKind for
    RESOURCE events and a RunStatus for RUN_FINISHED (all string enums)."""

    kind: EventKind
    run_id: str
    at: datetime
    task_key: str = ""
    state: str = ""
    resource_id: str = ""
    action: str = ""
    message: str = ""
    data: dict[str, object] = field(default_factory=dict)
