from __future__ import annotations

import threading
from collections import Counter
from typing import Any

_READ_PREFIXES = ("Describe", "List", "Get", "Head", "Lookup", "Search", "Check")


def is_mutating(operation: str) -> bool:
    return not operation.startswith(_READ_PREFIXES)


class ApiCallCounter:
    """Counts API calls by (service, operation), as botocore makes them (one per call, not retry).

    Registered on every client by the client factory; tests and benchmarks read it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[tuple[str, str]] = Counter()

    def __call__(self, model: Any = None, **_: Any) -> None:
        if model is None:
            return
        key = (model.service_model.service_name, model.name)
        with self._lock:
            self.calls[key] += 1

    @property
    def mutating(self) -> int:
        with self._lock:
            return sum(n for (_, op), n in self.calls.items() if is_mutating(op))

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.calls.values())

    def mutating_calls(self) -> dict[str, int]:
        with self._lock:
            return {f"{s}:{op}": n for (s, op), n in self.calls.items() if is_mutating(op)}

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
