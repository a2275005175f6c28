"""AWS's per-24-hour change limits applied to a stop or start plan, before any call is made."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from costzero.application.park_item import ParkItem
from costzero.application.ports import ParkHandler, SnapshotRepository
from costzero.domain.change_limits import WINDOW, PastChange, check_window
from costzero.domain.parking import Decision
from costzero.domain.resources import Action


def check_change_limits(
    action: Action,
    items: Iterable[ParkItem],
    handlers: Mapping[str, ParkHandler],
    snapshots: SnapshotRepository,
    now: datetime,
) -> None:
    """Refuse (SafetyRefusal) a plan that would break a type's change limit for any resource it
    changes: the changes it needs plus those costzero made in the last 24 hours (each snapshot taken
    parked it, each one closed restored it)."""
    for item in items:
        handler = handlers[item.resource.type_key]
        limit = handler.change_limit
        if limit is None or item.decision is not Decision.APPLY:
            continue
        changes = handler.changes
        if action is Action.STOP:
            needed = changes(item.settings, {**item.settings, **item.parked})
        else:
            assert item.snapshot is not None
            needed = changes(item.settings, dict(item.snapshot.settings))
        history = []
        for past in snapshots.history(item.ref.key, now - WINDOW):
            parked_state = {**past.settings, **handler.parked(past.settings)}
            history.append(PastChange(past.taken_at, changes(past.settings, parked_state)))
            if past.closed_at is not None:
                history.append(PastChange(past.closed_at, changes(parked_state, past.settings)))
        check_window(f"{item.resource.type_key} {item.resource.id}", needed, history, limit, now)
