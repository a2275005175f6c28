"""Whether the process that started a run is still there: a killed run must not stay "running"."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from pathlib import Path

# A run on another machine is taken for dead when it has not written for this long (it writes at
# every task transition, and a waiting task moves at least every few seconds).
SILENCE = timedelta(minutes=30)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def is_gone(owner: str | None, heartbeat: datetime | None, now: datetime) -> bool:
    """True when the run's process has certainly stopped (and no one will finish the run)."""
    if not owner:
        return heartbeat is not None and now - heartbeat > SILENCE
    host, _, pid_text = owner.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return heartbeat is not None and now - heartbeat > SILENCE
    return not _alive(int(pid_text))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: cannot tell, so not ours to declare dead
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        # a recycled pid that now belongs to an unrelated program does not keep the run alive
        text = cmdline.read_bytes().decode(errors="replace").lower()
    except OSError:
        return True
    return "python" in text or "costzero" in text
