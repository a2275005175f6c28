from __future__ import annotations

import os
import signal
import threading

CRASH_VARIABLE = "COSTZERO_CRASH_AT"


class EnvCheckpoints:
    """Kills the process with SIGKILL at the Nth time a named checkpoint is reached.

    `COSTZERO_CRASH_AT=applied:5` dies right after the fifth "applied" step is committed: the crash
    tests use it to prove that a run killed anywhere can be finished. Unset, it does nothing.
    """

    def __init__(self, spec: str | None = None) -> None:
        spec = spec if spec is not None else os.environ.get(CRASH_VARIABLE, "")
        name, _, count = spec.partition(":")
        self._name = name
        self._left = int(count or 1) if name else 0
        self._lock = threading.Lock()

    def reached(self, name: str) -> None:
        if not self._name or name != self._name:
            return
        with self._lock:
            self._left -= 1
            if self._left == 0:
                os.kill(os.getpid(), signal.SIGKILL)
