from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    """How a run ended, as recorded and listed (`running` until then)."""

    RUNNING = "running"
    DRY_RUN = "dry-run"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # stopped early or its process died: `runs resume` finishes it

    @classmethod
    def of(cls, *, dry_run: bool, interrupted: bool, ok: bool) -> RunStatus:
        """A dry run is a dry run; a stopped run is interrupted whatever it did before; else ok or not."""
        if dry_run:
            return cls.DRY_RUN
        if interrupted:
            return cls.INTERRUPTED
        return cls.SUCCEEDED if ok else cls.FAILED
