from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from costzero.domain.resources import Action


class OutcomeGroup(StrEnum):
    """What an outcome counts as in a run's totals and in the live view's footer."""

    FINISHED = "finished"  # the action happened (or was found already done by AWS)
    PLANNED = "planned"  # a dry run's "would ..."
    WAITING = "waiting"  # not settled yet: tried or confirmed again later
    LEFT_ALONE = "left-alone"  # kept by a rule or already where the action leads
    LEFT = "left"  # meant to be acted on, and was not: the run is not ok


class OutcomeKind(StrEnum):
    """What one action on one resource came to: one vocabulary from handler to exit code.

    Handlers answer with the first nine. DONE and GONE end well; PENDING (accepted, not yet
    confirmed), NOT_YET (a dependency still holds it) and THROTTLED are tried again later; PROTECTED
    leaves the resource in place and says so; BLOCKED means something the run does not delete holds
    it (never retried); DENIED and FAILED end badly. The rest are reported by the runs themselves:
    kept by a rule, a dry run's plans, and parking's results and decisions.
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
    KEPT = "kept"  # a keep rule (tag, protection the user keeps, unreadable tags) chose to keep it
    WOULD_DELETE = "would-delete"
    WOULD_STOP = "would-stop"
    WOULD_START = "would-start"
    PARKED = "parked"
    RESTORED = "restored"
    RESTORED_WITH_DIFFERENCES = "restored-with-differences"
    ALREADY_PARKED = "already-parked"
    ALREADY_RUNNING = "already-running"
    DRIFTED = "drifted"  # neither original nor parked: reported, never overwritten
    UNMANAGED = "unmanaged"  # looks parked, but costzero holds no snapshot of it
    MISSING = "missing"  # costzero holds a snapshot of a resource that no longer exists

    @property
    def is_success(self) -> bool:
        return self in (OutcomeKind.DONE, OutcomeKind.GONE)

    @property
    def is_retryable(self) -> bool:
        return self in (OutcomeKind.PENDING, OutcomeKind.NOT_YET, OutcomeKind.THROTTLED)

    @property
    def group(self) -> OutcomeGroup:
        return _GROUPS[self]

    @classmethod
    def would(cls, action: Action) -> OutcomeKind:
        """What a dry run reports for a resource the action would change."""
        return {Action.DELETE: cls.WOULD_DELETE, Action.STOP: cls.WOULD_STOP, Action.START: cls.WOULD_START}[
            action
        ]

    @classmethod
    def already(cls, action: Action) -> OutcomeKind:
        """What is reported for a resource already where a stop or start leads."""
        return cls.ALREADY_PARKED if action is Action.STOP else cls.ALREADY_RUNNING


_GROUPS: dict[OutcomeKind, OutcomeGroup] = {
    OutcomeKind.DONE: OutcomeGroup.FINISHED,
    OutcomeKind.GONE: OutcomeGroup.FINISHED,
    OutcomeKind.PARKED: OutcomeGroup.FINISHED,
    OutcomeKind.RESTORED: OutcomeGroup.FINISHED,
    OutcomeKind.RESTORED_WITH_DIFFERENCES: OutcomeGroup.FINISHED,
    OutcomeKind.WOULD_DELETE: OutcomeGroup.PLANNED,
    OutcomeKind.WOULD_STOP: OutcomeGroup.PLANNED,
    OutcomeKind.WOULD_START: OutcomeGroup.PLANNED,
    OutcomeKind.PENDING: OutcomeGroup.WAITING,
    OutcomeKind.NOT_YET: OutcomeGroup.WAITING,
    OutcomeKind.THROTTLED: OutcomeGroup.WAITING,
    OutcomeKind.KEPT: OutcomeGroup.LEFT_ALONE,
    OutcomeKind.ALREADY_PARKED: OutcomeGroup.LEFT_ALONE,
    OutcomeKind.ALREADY_RUNNING: OutcomeGroup.LEFT_ALONE,
    OutcomeKind.UNMANAGED: OutcomeGroup.LEFT_ALONE,
    OutcomeKind.PROTECTED: OutcomeGroup.LEFT_ALONE,  # left by the user's own protection flag
    OutcomeKind.BLOCKED: OutcomeGroup.LEFT,
    OutcomeKind.DENIED: OutcomeGroup.LEFT,
    OutcomeKind.FAILED: OutcomeGroup.LEFT,
    OutcomeKind.DRIFTED: OutcomeGroup.LEFT,
    OutcomeKind.MISSING: OutcomeGroup.LEFT,
}

# What a real run of each action meant to do and could not. A stop has nothing to do for a resource
# that is gone (its snapshot is kept); a start cannot restore it, so it is left.
_LEFT_BY_ACTION: dict[Action, frozenset[OutcomeKind]] = {
    Action.DELETE: frozenset(
        {OutcomeKind.PROTECTED, OutcomeKind.FAILED, OutcomeKind.DENIED, OutcomeKind.BLOCKED}
    ),
    Action.STOP: frozenset({OutcomeKind.FAILED, OutcomeKind.DRIFTED}),
    Action.START: frozenset({OutcomeKind.FAILED, OutcomeKind.DRIFTED, OutcomeKind.MISSING}),
}


def left_behind(action: Action, outcomes: Mapping[OutcomeKind, int]) -> dict[OutcomeKind, int]:
    """The outcomes, with their counts, that a real run of `action` counts as not done."""
    return {kind: n for kind, n in outcomes.items() if n and kind in _LEFT_BY_ACTION[action]}


@dataclass(frozen=True)
class ResourceOutcome:
    """One resource's answer. `blockers` names what holds a NOT_YET resource, where AWS's message
    or the handler says (ids such as ami-0abc or i-0abc); empty when unknown."""

    resource_id: str
    kind: OutcomeKind
    message: str = ""
    blockers: tuple[str, ...] = ()
