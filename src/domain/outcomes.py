from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OutcomeKind(StrEnum):
    """What one action on one resource came to.

    DONE and GONE end well; PENDING (accepted, not yet confirmed), NOT_YET (a dependency still
    holds it) and THROTTLED are tried again later; PROTECTED leaves the resource in place and says
    so; BLOCKED means something the run does not delete holds it (never retried); DENIED and
    FAILED end badly.
    """

    DONE = "done"
    GONE = "gone"
    PENDING = "pending"
    NOT_YET = "not-yet"
    THROTTLED = "throttled"
    PROTECTED = "protected"
    BLOCKED = "blocked"
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
    """One resource's answer. `blockers` names what holds a NOT_YET resource, where AWS's message
    or the handler says (ids such as ami-0abc or i-0abc); empty when unknown."""

    resource_id: str
    kind: OutcomeKind
    message: str = ""
    blockers: tuple[str, ...] = ()
