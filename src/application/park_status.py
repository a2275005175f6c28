"""What `costzero status` reports for each resource of a (read-only) stop plan."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from costzero.application.park_item import ParkItem
from costzero.domain.parking import Decision, came_back, matches

RDS_AUTO_RESTART = timedelta(days=7)  # AWS starts a stopped RDS instance or cluster after 7 days


def status_rows(items: Iterable[ParkItem], now: datetime) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        snapshot = item.snapshot
        warning = ""
        if snapshot is None:
            state = "parked (no snapshot)" if item.decision is Decision.UNMANAGED else "running"
        elif item.decision is Decision.MISSING:
            state, warning = "gone", f"parked by run {snapshot.run_id}; {item.reason}"
        elif matches(item.settings, item.parked):
            state = f"parked since {snapshot.taken_at:%Y-%m-%d %H:%M} by run {snapshot.run_id}"
            if item.resource.type_key.startswith("rds:"):
                # from the latest stop: a re-park keeps the first snapshot but restarts AWS's clock
                deadline = (snapshot.updated_at or snapshot.taken_at) + RDS_AUTO_RESTART
                warning = (
                    f"AWS restarts it on {deadline:%Y-%m-%d %H:%M}; run stop again to re-park"
                    if deadline > now
                    else "past AWS's 7-day limit: AWS is about to restart it"
                )
        elif came_back(snapshot, item.settings, item.parked):
            state, warning = "running again", f"parked by run {snapshot.run_id}; `stop` parks it again"
        else:
            state, warning = "drifted", item.reason
        rows.append(
            {
                "type": item.resource.type_key,
                "id": item.resource.id,
                "name": item.resource.name,
                "region": item.resource.region,
                "state": state,
                "warning": warning,
            }
        )
    return rows
