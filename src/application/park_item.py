from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from costzero.domain.parking import Decision, ParkRef, Snapshot, matches
from costzero.domain.resources import Resource


@dataclass
class ParkItem:
    """One resource of a stop or start plan, with the decision taken at planning time."""

    resource: Resource
    decision: Decision
    reason: str
    settings: dict[str, Any]
    parked: dict[str, Any]
    snapshot: Snapshot | None = None

    @property
    def ref(self) -> ParkRef:
        r = self.resource
        return ParkRef(r.type_key, r.account, r.region, r.id)

    @property
    def before_after(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The changed fields before and after the action (for dry runs and reports)."""
        if self.snapshot is not None and self.decision is Decision.APPLY and self.parked:
            original = {k: self.snapshot.settings.get(k) for k in self.parked}
            if matches(self.settings, self.parked):  # start: parked -> original
                return dict(self.parked), original
        return {k: self.settings.get(k) for k in self.parked}, dict(self.parked)

    @property
    def change(self) -> str:
        """`before_after` as one line: "field: before -> after, ..."."""
        before, after = self.before_after
        return ", ".join(f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in sorted(after))
