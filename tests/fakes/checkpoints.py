from __future__ import annotations


class SimulatedCrash(BaseException):
    """Stands for the SIGKILL of EnvCheckpoints: not an Exception, so no `except Exception` (the
    executor's, the orchestrator's) turns it into a failed task; it ends the whole run at once."""


class FakeCheckpoints:
    """Records every checkpoint name reached, in order; `crash_at="applied:2"` raises
    SimulatedCrash at the second "applied" (the spec EnvCheckpoints reads from COSTZERO_CRASH_AT)."""

    def __init__(self, crash_at: str = "") -> None:
        self.names: list[str] = []
        self.arm(crash_at)

    def arm(self, crash_at: str) -> None:
        name, _, count = crash_at.partition(":")
        self._name, self._left = name, int(count or 1) if name else 0

    def reached(self, name: str) -> None:
        self.names.append(name)
        if name != self._name or self._left <= 0:
            return
        self._left -= 1
        if self._left == 0:
            raise SimulatedCrash(f"crashed at {name}")
