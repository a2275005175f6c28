from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FakeStateBackup:
    """StateBackup in memory: `saved` holds a copy of every mirror written; `error` (a CloudError)
    is raised instead while set."""

    def __init__(self) -> None:
        self.saved: list[dict[str, Any]] = []
        self.error: Exception | None = None

    def save(self, state: Mapping[str, Any]) -> None:
        if self.error is not None:
            raise self.error
        self.saved.append(dict(state))
