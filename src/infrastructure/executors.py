from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from costzero.application.ports import Completion


class ThreadPoolTaskExecutor:
    """The default batch processor: a bounded thread pool; completions come back through a queue.

    The pool starts on first use and is shut down by `shutdown` (the container does this).
    """

    def __init__(self, workers: int = 8) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._done: queue.Queue[Completion] = queue.Queue()

    @property
    def workers(self) -> int:
        return self._workers

    def submit(self, key: Hashable, work: Callable[[], Any]) -> None:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="costzero")
            future = self._pool.submit(work)
        future.add_done_callback(lambda f: self._done.put(_completion(key, f)))

    def next_completed(self, timeout: float | None) -> Completion | None:
        try:
            return self._done.get(timeout=timeout)
        except queue.Empty:
            return None

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None


def _completion(key: Hashable, future: Future[Any]) -> Completion:
    error = future.exception()
    if error is not None:
        return Completion(key, error=error)
    return Completion(key, result=future.result())
