"""What `costzero status` reports for each resource of a (read-only) stop plan."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from costzero.application.park_item import ParkItem
from costzero.domain.costing import CostSheet
from costzero.domain.parking import Decision, came_back, matches

RDS_AUTO_RESTART = timedelta(days=7)  # AWS starts a stopped RDS instance or cluster after 7 days


def status_rows(
    items: Iterable[ParkItem], now: datetime, costs: CostSheet | None = None
) -> list[dict[str, Any]]:
    """One row per resource; with `costs`, what it costs now per hour (a parked resource: what
    still bills, its storage) and how much of that a stop would save (its compute)."""
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
                **_cost_columns(costs, item),
            }
        )
    return rows


def _cost_columns(costs: CostSheet | None, item: ParkItem) -> dict[str, Any]:
    cost = costs.get(item.resource.ref) if costs is not None else None
    if cost is None:
        return {
            "usd_per_hour": None,
            "compute_usd_per_hour": None,
            "storage_usd_per_hour": None,
            "known": False,
        }
    return {
        "usd_per_hour": round(cost.hourly, 6),
        "compute_usd_per_hour": round(cost.compute, 6),
        "storage_usd_per_hour": round(cost.storage, 6),
        "known": cost.known,
    }
