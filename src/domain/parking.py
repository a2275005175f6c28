"""Parking (stop/start): write-once snapshots, their lifecycle, and what to do with each resource."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from costzero.domain.errors import IllegalTransitionError


class ParkStep(StrEnum):
    """Where a parked resource stands. Every step is committed before the next call is made.

    planned (snapshot written) -> applying -> applied -> verified -> restoring -> restored;
    any step may end in failed. After a crash, `applying` and `restoring` may be entered again;
    a parked resource that came back by itself (AWS restarts a stopped RDS database after 7 days)
    goes from `verified` to `applying` again when `stop` re-parks it, its snapshot unchanged.
    """

    PLANNED = "planned"
    APPLYING = "applying"
    APPLIED = "applied"
    VERIFIED = "verified"
    FAILED = "failed"
    RESTORING = "restoring"
    RESTORED = "restored"


_OPEN = {ParkStep.PLANNED, ParkStep.APPLYING, ParkStep.APPLIED, ParkStep.VERIFIED, ParkStep.FAILED}
_ALLOWED: dict[ParkStep, set[ParkStep]] = {
    ParkStep.PLANNED: {
        ParkStep.APPLYING,
        ParkStep.VERIFIED,
        ParkStep.FAILED,
        ParkStep.RESTORING,
        ParkStep.RESTORED,
    },
    ParkStep.APPLYING: {
        ParkStep.APPLYING,
        ParkStep.APPLIED,
        ParkStep.VERIFIED,
        ParkStep.FAILED,
        ParkStep.RESTORING,
        ParkStep.RESTORED,
    },
    ParkStep.APPLIED: {
        ParkStep.APPLYING,
        ParkStep.VERIFIED,
        ParkStep.FAILED,
        ParkStep.RESTORING,
        ParkStep.RESTORED,
    },
    ParkStep.VERIFIED: {ParkStep.APPLYING, ParkStep.RESTORING, ParkStep.RESTORED},
    ParkStep.FAILED: {ParkStep.APPLYING, ParkStep.VERIFIED, ParkStep.RESTORING, ParkStep.RESTORED},
    ParkStep.RESTORING: {ParkStep.RESTORING, ParkStep.RESTORED, ParkStep.FAILED},
    ParkStep.RESTORED: set(),
}


def check_step(current: ParkStep, to: ParkStep) -> None:
    if to not in _ALLOWED[current]:
        raise IllegalTransitionError(f"parked resource cannot move from {current} to {to}")


@dataclass(frozen=True)
class ParkRef:
    type_key: str
    account: str
    region: str
    resource_id: str

    @property
    def key(self) -> str:
        return f"{self.type_key}@{self.account}/{self.region}/{self.resource_id}"


@dataclass(frozen=True)
class Snapshot:
    """A resource's settings as they were before costzero parked it. Written once, never changed;
    only its step moves. A restored snapshot is closed; the next stop writes a new one."""

    ref: ParkRef
    settings: Mapping[str, Any]
    run_id: str
    taken_at: datetime
    step: ParkStep = ParkStep.PLANNED
    name: str | None = None
    closed_at: datetime | None = None
    # the resource's tags when it was parked (None: not read); they decide tag filters for a parked
    # resource that listings do not show (a SageMaker endpoint is parked by deleting it)
    tags: Mapping[str, str] | None = None
    updated_at: datetime | None = None  # when its step last moved (as stored; not part of the state file)

    @property
    def is_open(self) -> bool:
        return self.step in _OPEN or self.step is ParkStep.RESTORING


class Decision(StrEnum):
    APPLY = "apply"  # change it (stop: park; start: restore)
    DONE = "done"  # already where the action would take it
    WAIT = "wait"  # in transition (stopping, updating ...): look again later
    DRIFTED = "drifted"  # neither original nor parked: report, never overwrite
    UNMANAGED = "unmanaged"  # looks parked but costzero holds no snapshot: report, do not snapshot
    MISSING = "missing"  # a snapshot for a resource that no longer exists


def matches(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    return all(current.get(field) == value for field, value in wanted.items())


def differences(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    """Field-by-field differences, as "field: expected X, found Y"."""
    return [
        f"{field}: expected {expected[field]!r}, found {actual.get(field)!r}"
        for field in sorted(expected)
        if actual.get(field) != expected[field]
    ]


_UNDER_WAY = {ParkStep.APPLYING, ParkStep.APPLIED, ParkStep.VERIFIED, ParkStep.FAILED, ParkStep.RESTORING}


def interrupted(snapshot: Snapshot, current: Mapping[str, Any], parked: Mapping[str, Any]) -> bool:
    """A change of ours was cut short: a call was under way and every field is either still at its
    original value or already at its parked value (e.g. an Auto Scaling group suspended but not yet
    scaled in). Anything else was changed by someone else: drift."""
    if snapshot.step not in _UNDER_WAY:
        return False
    return all(current.get(f) in (snapshot.settings.get(f), value) for f, value in parked.items())


def came_back(snapshot: Snapshot, current: Mapping[str, Any], parked: Mapping[str, Any]) -> bool:
    """Parked by costzero, now at its original settings again: AWS restarted it (stopped RDS comes
    back after 7 days) or someone started it by hand. `stop` parks it again under the same snapshot."""
    original = {field: snapshot.settings.get(field) for field in parked}
    return (
        snapshot.step in (ParkStep.APPLIED, ParkStep.VERIFIED)
        and matches(current, original)
        and not matches(current, parked)
    )


def decide_stop(
    snapshot: Snapshot | None,
    current: Mapping[str, Any],
    parked: Mapping[str, Any],
    looks_parked: bool,
    in_transition: bool,
) -> tuple[Decision, str]:
    """What `stop` does with one resource, given its open snapshot (if any) and live settings."""
    if in_transition:
        return Decision.WAIT, "in transition"
    if snapshot is None:
        if looks_parked:
            return Decision.UNMANAGED, "looks parked already, but costzero has no snapshot of it: not touched"
        return Decision.APPLY, "running"
    if matches(current, parked):
        return Decision.DONE, f"parked since {snapshot.taken_at:%Y-%m-%d %H:%M} by run {snapshot.run_id}"
    if came_back(snapshot, current, parked):
        return Decision.APPLY, (
            f"parked by run {snapshot.run_id} but running again (restarted by AWS or by hand); "
            "parking it again, first snapshot kept"
        )
    original = {field: snapshot.settings.get(field) for field in parked}
    if matches(current, original):
        return Decision.APPLY, "snapshot kept from an unfinished run; applying"
    if interrupted(snapshot, current, parked):
        return Decision.APPLY, "finishing a change that was interrupted"
    return Decision.DRIFTED, "; ".join(differences(dict(parked), current))


def decide_start(
    snapshot: Snapshot,
    current: Mapping[str, Any] | None,
    parked: Mapping[str, Any],
    in_transition: bool,
) -> tuple[Decision, str]:
    """What `start` does with one parked resource."""
    if current is None:
        return Decision.MISSING, "the resource no longer exists; its snapshot is kept"
    if in_transition:
        return Decision.WAIT, "in transition"
    original = {field: snapshot.settings.get(field) for field in parked}
    if matches(current, original) and not matches(current, parked):
        return Decision.DONE, "already running as before"
    if matches(current, parked):
        return Decision.APPLY, "parked"
    if interrupted(snapshot, current, parked):
        return Decision.APPLY, "undoing a change that was interrupted"
    return Decision.DRIFTED, "; ".join(differences(dict(parked), current))
