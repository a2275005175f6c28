from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from costzero.domain.tasks import TaskKey


@dataclass(frozen=True)
class ConcurrencyLimits:
    """How many tasks may run at once: overall, and per (account, region, service)."""

    max_running: int = 8
    per_group: int = 4

    def __post_init__(self) -> None:
        if self.max_running < 1 or self.per_group < 1:
            raise ValueError("concurrency limits must be >= 1")


class BatchResourceManager:
    """Hands out run slots so that no (account, region, service) gets more than its share.

    Used by the orchestrator from its single scheduling thread; not thread-safe by design.
    """

    def __init__(self, limits: ConcurrencyLimits) -> None:
        self.limits = limits
        self._running: Counter[tuple[str, str, str]] = Counter()
        self.total = 0

    @staticmethod
    def group(key: TaskKey) -> tuple[str, str, str]:
        return (key.account, key.region, key.service)

    def can_start(self, key: TaskKey) -> bool:
        return self.total < self.limits.max_running and self._running[self.group(key)] < self.limits.per_group

    def acquire(self, key: TaskKey) -> None:
        if not self.can_start(key):
            raise RuntimeError(f"no slot free for {key}")
        self._running[self.group(key)] += 1
        self.total += 1

    def release(self, key: TaskKey) -> None:
        self._running[self.group(key)] -= 1
        self.total -= 1
