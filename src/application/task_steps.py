"""What one attempt at a task answers, and how the orchestrator waits on it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from costzero.domain.tasks import Task, TaskKey, TaskState


class StepKind(StrEnum):
    DONE = "done"
    RETRY = "retry"  # not yet: try this task again later
    FAILED = "failed"


@dataclass(frozen=True)
class TaskStep:
    """What one attempt at a task came to, and for RETRY, what the task waits for.

    - `transitions`: AWS is finishing changes the task asked for (instances shutting down); they
      typically take `expected_seconds`, so the task is checked again around then, then in short
      constant polls;
    - `throttled`: AWS said "slow down": only then are the delays exponential;
    - `waits_on`: other tasks whose resources must be gone first (resource-level dependencies);
      the task is tried again as soon as one of them makes progress, not on a timer;
    - `progressed`: something of this task settled in this attempt (wakes the tasks waiting on it).

    A RETRY with none of these ("not yet", no more known) is tried again after a short delay.
    """

    kind: StepKind
    reason: str = ""
    transitions: bool = False
    expected_seconds: float = 0.0
    throttled: bool = False
    waits_on: frozenset[TaskKey] = frozenset()
    progressed: bool = True


@dataclass(frozen=True)
class WaitPolicy:
    """How "not yet" outcomes are waited for, within a budget of own waiting per task.

    - a transition is checked when it is likely done (`expected_seconds`, or the per-type
      override in `transitions`), then every `poll_fraction` of that (within `min_poll` and
      `max_delay`): short polls for short transitions; no check is further than `max_delay` away;
    - a plain "not yet" is tried again after `first_delay`;
    - only throttling backs off exponentially: `first_delay` x `factor`^n, capped at `max_delay`.

    Waiting for another task's resources (TaskStep.waits_on) spends no budget: that task has its own.
    """

    budget_seconds: float = 900.0
    first_delay: float = 1.0
    max_delay: float = 15.0
    factor: float = 2.0
    min_poll: float = 0.25
    poll_fraction: float = 0.05
    transitions: Mapping[str, float] = field(default_factory=dict)

    def backoff(self, throttled_in_a_row: int) -> float:
        """The delay after the n-th throttled attempt in a row (n >= 1)."""
        return float(min(self.max_delay, self.first_delay * self.factor ** max(0, throttled_in_a_row - 1)))

    def expected(self, type_key: str, hinted: float) -> float:
        return float(self.transitions.get(type_key, hinted))

    def poll(self, expected: float) -> float:
        """The interval of the polls once a transition is due."""
        return float(min(self.max_delay, max(self.min_poll, expected * self.poll_fraction)))


TaskWork = Callable[[Task], TaskStep]
# told when a task ends failed or blocked, so that the work can settle what waits on its resources
SettledHook = Callable[[TaskKey, TaskState], None]
