from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from costzero.application.ports import Completion
from tests.fakes.clock import FakeClock


def _run(key: Hashable, work: Callable[[], Any]) -> Completion:
    try:
        return Completion(key, result=work())
    except Exception as error:  # the port reports errors as completions
        return Completion(key, error=error)


class SynchronousExecutor:
    """Runs each item at submit time, on the calling thread."""

    def __init__(self, workers: int = 4) -> None:
        self._workers = workers
        self._done: deque[Completion] = deque()
        self.submitted: list[Hashable] = []

    @property
    def workers(self) -> int:
        return self._workers

    def submit(self, key: Hashable, work: Callable[[], Any]) -> None:
        self.submitted.append(key)
        self._done.append(_run(key, work))

    def next_completed(self, timeout: float | None) -> Completion | None:
        return self._done.popleft() if self._done else None


@dataclass(frozen=True)
class Span:
    key: Hashable
    start: float
    end: float


class SimulatedExecutor:
    """A discrete-event executor: each item takes `duration(key)` simulated seconds on a FakeClock.

    Items run concurrently without limit (the orchestrator does the capping); `spans` records when
    each attempt started and ended, and `max_parallel` the most that overlapped.
    """

    def __init__(self, clock: FakeClock, duration: Callable[[Hashable], float]) -> None:
        self._clock = clock
        self._duration = duration
        self._heap: list[tuple[float, int, Hashable, float, Completion]] = []
        self._seq = itertools.count()
        self.spans: list[Span] = []
        self.max_parallel = 0

    @property
    def workers(self) -> int:
        return 1_000_000

    def submit(self, key: Hashable, work: Callable[[], Any]) -> None:
        start = self._clock.monotonic()
        completion = _run(key, work)
        heapq.heappush(self._heap, (start + self._duration(key), next(self._seq), key, start, completion))
        self.max_parallel = max(self.max_parallel, len(self._heap))

    def next_completed(self, timeout: float | None) -> Completion | None:
        if not self._heap:
            if timeout is not None:
                self._clock.advance(timeout)
            return None
        end = self._heap[0][0]
        now = self._clock.monotonic()
        if timeout is not None and end > now + timeout:
            self._clock.advance(timeout)
            return None
        end, _, key, start, completion = heapq.heappop(self._heap)
        self._clock.advance(end - now)
        # the span ends when the clock says so: now + (end - now) can differ from end by a rounding
        end = self._clock.monotonic()
        self.spans.append(Span(key, start, end))
        return completion
