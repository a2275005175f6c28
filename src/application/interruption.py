from __future__ import annotations

import threading


class StopSignal:
    """A request to stop a run early (Ctrl-C, SIGTERM): no new task is started, the calls in
    flight finish, and the run is recorded as interrupted, to be finished by `runs resume`.

    Set from a signal handler or another thread; read by the orchestrator's scheduling loop.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def request(self) -> None:
        self._event.set()

    def requested(self) -> bool:
        return self._event.is_set()

    def clear(self) -> None:
        self._event.clear()
