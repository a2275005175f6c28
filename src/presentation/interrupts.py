"""Ctrl-C and SIGTERM during a run: the first stops it gracefully, a second aborts at once."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from costzero.presentation.options import EXIT_INTERRUPTED
from costzero.presentation.sdk import CostZero

__all__ = ["EXIT_INTERRUPTED", "graceful_stop", "resume_hint"]


@contextmanager
def graceful_stop(sdk: CostZero) -> Iterator[None]:
    """While the block runs, the first SIGINT/SIGTERM asks the run to stop (no new calls, calls in
    flight finish, the run is recorded as interrupted); the next raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    received: list[int] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        if len(received) == 1:
            sys.stderr.write(
                "\nstopping: no new calls; waiting for the calls in flight (press Ctrl-C again to abort)\n"
            )
            sdk.interrupt()
            return
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def resume_hint(run_id: str) -> str:
    return f"run {run_id} was interrupted; finish it with: costzero runs resume {run_id}"
