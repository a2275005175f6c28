"""SpendSource fake: the rows a test gives, or its error; remembers every request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from costzero.domain.spend import Spend, SpendGrouping, SpendRow


@dataclass
class FakeSpendSource:
    rows: Sequence[SpendRow] = ()
    error: Exception | None = None
    fetched_at: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    calls: list[tuple[date, date, SpendGrouping, bool]] = field(default_factory=list)

    def spend(self, start: date, end: date, grouping: SpendGrouping, refresh: bool = False) -> Spend:
        self.calls.append((start, end, grouping, refresh))
        if self.error is not None:
            raise self.error
        return Spend(start, end, grouping, tuple(self.rows), self.fetched_at, requests=1)
