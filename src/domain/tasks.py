from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from costzero.domain.errors import IllegalTransitionError
from costzero.domain.resources import Location


class TaskState(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    WAITING = "waiting"  # re-queued after a "not yet" outcome
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    BLOCKED = "blocked"

    @property
    def is_final(self) -> bool:
        return self in _FINAL


_FINAL = frozenset({TaskState.SUCCEEDED, TaskState.FAILED, TaskState.SKIPPED, TaskState.BLOCKED})

_ALLOWED: dict[TaskState, frozenset[TaskState]] = {
    TaskState.PLANNED: frozenset({TaskState.RUNNING, TaskState.SKIPPED, TaskState.BLOCKED}),
    TaskState.RUNNING: frozenset({TaskState.SUCCEEDED, TaskState.FAILED, TaskState.WAITING}),
    TaskState.WAITING: frozenset({TaskState.RUNNING, TaskState.FAILED}),
    TaskState.SUCCEEDED: frozenset(),
    TaskState.FAILED: frozenset(),
    TaskState.SKIPPED: frozenset(),
    TaskState.BLOCKED: frozenset(),
}


@dataclass(frozen=True, order=True)
class TaskKey:
    """One unit of work: one resource type in one account and region."""

    type_key: str
    account: str
    region: str

    @property
    def service(self) -> str:
        return self.type_key.split(":", 1)[0]

    @property
    def location(self) -> Location:
        return Location(self.account, self.region)

    def __str__(self) -> str:
        return f"{self.type_key}@{self.account}/{self.region}"


@dataclass
class Task:
    """A planned unit of work with an explicit lifecycle.

    planned -> running -> succeeded | failed | waiting (re-queued) -> running ...;
    planned -> skipped | blocked. Illegal moves raise IllegalTransitionError.

    `requires` must have succeeded (or been skipped) before the task starts. `follows` are
    prerequisites covered resource by resource: the task may start at once, and its work waits
    for the linked resources of those tasks to be gone (see ResourceTypeSpec.linked_requires).
    """

    key: TaskKey
    requires: frozenset[TaskKey] = frozenset()
    follows: frozenset[TaskKey] = frozenset()
    state: TaskState = TaskState.PLANNED
    reason: str = ""
    attempts: int = 0
    history: list[TaskState] = field(default_factory=list)

    def move(self, to: TaskState, reason: str = "") -> None:
        if to not in _ALLOWED[self.state]:
            raise IllegalTransitionError(f"task {self.key}: cannot move from {self.state} to {to}")
        self.history.append(self.state)
        self.state = to
        if to is TaskState.RUNNING:
            self.attempts += 1
        if reason:
            self.reason = reason
