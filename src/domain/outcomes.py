from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OutcomeKind(StrEnum):
    """What one action on one resource came to.

    DONE and GONE end well; PENDING (accepted, not yet confirmed), NOT_YET (a dependency still
    holds it) and THROTTLED are tried again later; PROTECTED leaves the resource in place and says
    so; DENIED and FAILED end badly.
    """

    DONE = "done"
    GONE = "gone"
    PENDING = "pending"
    NOT_YET = "not-yet"
    THROTTLED = "throttled"
    PROTECTED = "protected"
    DENIED = "denied"
    FAILED = "failed"

    @property
    def is_success(self) -> bool:
        return self in (OutcomeKind.DONE, OutcomeKind.GONE)

    @property
    def is_retryable(self) -> bool:
        return self in (OutcomeKind.PENDING, OutcomeKind.NOT_YET, OutcomeKind.THROTTLED)


@dataclass(frozen=True)
class ResourceOutcome:
    resource_id: str
    kind: OutcomeKind
    message: str = ""
