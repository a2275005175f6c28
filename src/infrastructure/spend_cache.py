"""The day's answers of a paid spend source (Cost Explorer: $0.01 a request), one JSON file each.

The same request (account and endpoint, period, grouping) made again on the same UTC day is answered
from its file, marked `cached`; `refresh` asks the source again and replaces it. A file that cannot
be read as one of these (broken, half-written by an older version, edited) counts as absent: the
source is asked and the file rewritten. A file that cannot be written is skipped: the answer, already
paid for, is still shown. Writing removes the files of earlier days.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from costzero.application.ports import Clock, SpendSource
from costzero.domain.spend import Spend, SpendGrouping, SpendRow

FORMAT = 1


def default_directory() -> Path:
    """e.g. ~/.cache/costzero/cost-explorer"""
    return Path(user_cache_dir("costzero")) / "cost-explorer"


class DailySpendCache:
    """A SpendSource in front of another, keeping each answer until the end of its UTC day."""

    def __init__(self, source: SpendSource, clock: Clock, directory: Path, scope: Callable[[], str]) -> None:
        self._source = source
        self._clock = clock
        self.directory = directory
        self._scope = scope  # who asks where: the account and endpoint, asked for each request

    def spend(self, start: date, end: date, grouping: SpendGrouping, refresh: bool = False) -> Spend:
        today = self._clock.now().date()
        request = {
            "scope": self._scope(),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "group": [grouping.kind, grouping.key],
        }
        path = self.path(today, request)
        if not refresh:
            found = _read(path, request)
            if found is not None:
                return found
        spend = self._source.spend(start, end, grouping)
        self._write(path, request, spend, today)
        return spend

    def path(self, today: date, request: dict[str, Any]) -> Path:
        digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()[:24]
        return self.directory / f"{today.isoformat()}-{digest}.json"

    def _write(self, path: Path, request: dict[str, Any], spend: Spend, today: date) -> None:
        document = {"format": FORMAT, "request": request, "spend": _as_json(spend)}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps(document), encoding="utf-8")
            temporary.replace(path)  # a reader never sees half a file
            for old in path.parent.glob("*.json"):
                if not old.name.startswith(today.isoformat()):
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # not cached: the next request of the day asks (and pays) again


def _as_json(spend: Spend) -> dict[str, Any]:
    return {
        "start": spend.start.isoformat(),
        "end": spend.end.isoformat(),
        "group": [spend.grouping.kind, spend.grouping.key],
        "rows": [[r.group, r.amount, r.unit, r.estimated] for r in spend.rows],
        "fetched_at": spend.fetched_at.isoformat(),
        "requests": spend.requests,
    }


def _read(path: Path, request: dict[str, Any]) -> Spend | None:
    """The cached answer to `request`, or None when there is none that can be used."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document["format"] != FORMAT or document["request"] != request:
            return None
        data = document["spend"]
        kind, key = data["group"]
        rows = tuple(SpendRow(str(g), float(a), str(u), bool(e)) for g, a, u, e in data["rows"])
        return Spend(
            date.fromisoformat(data["start"]),
            date.fromisoformat(data["end"]),
            SpendGrouping(str(kind), str(key)),
            rows,
            datetime.fromisoformat(data["fetched_at"]),
            requests=int(data["requests"]),
            cached=True,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
