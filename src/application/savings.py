"""What runs saved: each resource's recorded hourly rate times the hours since the run acted on it.

A resource a destroy deleted saves its whole rate from the delete on. A resource a stop parked
saves its compute rate (storage keeps billing) until a later start restores it. Dry runs,
resources already gone, kept or failed save nothing. Projected: what still saves, per month.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from costzero.application.ports import Clock, RunRepository
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.pricing import HOURS_PER_MONTH
from costzero.domain.resources import GLOBAL_REGION

RESTORED = {str(OutcomeKind.RESTORED), str(OutcomeKind.RESTORED_WITH_DIFFERENCES)}


@dataclass(frozen=True)
class Saving:
    """One resource's saving in one run."""

    run_id: str
    type_key: str
    resource_id: str
    region: str
    usd_per_hour: float
    since: datetime
    until: datetime | None  # None: still saving (deleted, or parked and not started since)
    known: bool

    def hours(self, now: datetime) -> float:
        return max(0.0, ((self.until or now) - self.since).total_seconds() / 3600)

    def saved(self, now: datetime) -> float:
        return self.usd_per_hour * self.hours(now)


@dataclass
class SavingsReport:
    savings: list[Saving] = field(default_factory=list)
    now: datetime | None = None

    @property
    def saved_usd(self) -> float:
        assert self.now is not None
        return sum(s.saved(self.now) for s in self.savings)

    @property
    def still_saving_usd_per_hour(self) -> float:
        return sum(s.usd_per_hour for s in self.savings if s.until is None)

    @property
    def projected_usd_per_month(self) -> float:
        return self.still_saving_usd_per_hour * HOURS_PER_MONTH

    @property
    def unknown(self) -> int:
        return sum(1 for s in self.savings if not s.known)

    def as_dict(self) -> dict[str, Any]:
        assert self.now is not None
        now = self.now
        return {
            "as_of": now.isoformat(),
            "saved_usd": round(self.saved_usd, 4),
            "projected_usd_per_month": round(self.projected_usd_per_month, 2),
            "still_saving_usd_per_hour": round(self.still_saving_usd_per_hour, 6),
            "resources": len(self.savings),
            "unknown": self.unknown,
            "by_run": _by_run(self.savings, now),
            "items": [
                {
                    "run_id": s.run_id,
                    "type": s.type_key,
                    "id": s.resource_id,
                    "region": s.region,
                    "usd_per_hour": round(s.usd_per_hour, 6),
                    "since": s.since.isoformat(),
                    "until": s.until.isoformat() if s.until else None,
                    "hours": round(s.hours(now), 2),
                    "saved_usd": round(s.saved(now), 4),
                    "known": s.known,
                }
                for s in self.savings
            ],
        }


def savings_of(runs: Iterable[Mapping[str, Any]], now: datetime) -> SavingsReport:
    """The savings of real destroy and stop runs, with parked resources ended by later starts.

    `runs` are stored runs as `RunRepository.get_run` gives them (costs and actions), any order.
    """
    ordered = sorted((r for r in runs if not r.get("dry_run")), key=lambda r: str(r["started_at"]))
    restored_at: dict[tuple[str, str, str], list[datetime]] = {}
    for run in ordered:
        if run["kind"] == "start":
            for action in run.get("actions", []):
                if action["outcome"] in RESTORED:
                    restored_at.setdefault(_where(action), []).append(_time(action["at"]))
    report = SavingsReport(now=now)
    for run in ordered:
        if run["kind"] == "destroy":  # gone: deleted with what held it (a volume with its instance)
            acted, part = _settled(run, {str(OutcomeKind.DONE), str(OutcomeKind.GONE)}), "all"
        elif run["kind"] == "stop":
            acted, part = _settled(run, {str(OutcomeKind.PARKED)}), "compute"
        else:
            continue
        for cost in run.get("costs", []):
            key = _find(acted, cost)
            if key is None:
                continue
            since = acted[key]
            rate = cost["usd_per_hour"] if part == "all" else cost["compute_usd_per_hour"]
            until = None
            if part == "compute":
                until = min((t for t in restored_at.get(key, []) if t >= since), default=None)
            report.savings.append(
                Saving(run["id"], cost["type"], cost["id"], cost["region"], rate, since, until, cost["known"])
            )
    return report


def _settled(run: Mapping[str, Any], outcomes: set[str]) -> dict[tuple[str, str, str], datetime]:
    """(type, task region, resource id) -> when this run's action on it ended in one of `outcomes`."""
    return {_where(a): _time(a["at"]) for a in run.get("actions", []) if a["outcome"] in outcomes}


def _where(action: Mapping[str, Any]) -> tuple[str, str, str]:
    """An action's resource: its type and region from the task key (`type@account/region`), and
    its ID (the same ID can name resources in two regions)."""
    type_key, _, location = str(action["task_key"]).partition("@")
    return (type_key, location.rpartition("/")[2], str(action["resource_id"]))


def _find(acted: Mapping[tuple[str, str, str], Any], cost: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """The acted-on key of a priced resource: in its region's task, or in the account-wide task of a
    global type (a bucket is priced in its own region, and deleted by the "global" task)."""
    for region in (cost["region"], GLOBAL_REGION):
        key = (cost["type"], region, cost["id"])
        if key in acted:
            return key
    return None


def _time(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _by_run(savings: Iterable[Saving], now: datetime) -> dict[str, dict[str, float]]:
    runs: dict[str, dict[str, float]] = {}
    for s in savings:
        row = runs.setdefault(s.run_id, {"saved_usd": 0.0, "usd_per_hour": 0.0})
        row["saved_usd"] = round(row["saved_usd"] + s.saved(now), 4)
        row["usd_per_hour"] = round(row["usd_per_hour"] + s.usd_per_hour, 6)
    return runs


class SavingsLedger:
    """Savings from the run history: every real destroy, stop and start run is read."""

    HISTORY = 100_000  # runs read at most

    def __init__(self, runs: RunRepository, clock: Clock) -> None:
        self._runs = runs
        self._clock = clock

    def report(self, run_id: str | None = None) -> SavingsReport:
        """All savings, or one run's (a unique prefix works; BadInputError for an unknown one)."""
        listed = self._runs.list_runs(self.HISTORY)
        if run_id is None:
            wanted = [r for r in listed if not r["dry_run"] and r["kind"] in ("destroy", "stop", "start")]
            return savings_of(self._runs.get_runs([r["id"] for r in wanted]), self._clock.now())
        run = self._runs.get_run(run_id)
        runs = [run]
        if run["kind"] == "stop" and not run["dry_run"]:  # only the starts after it can end it
            runs += self._runs.get_runs(
                [
                    r["id"]
                    for r in listed
                    if r["kind"] == "start"
                    and not r["dry_run"]
                    and str(r["started_at"]) >= str(run["started_at"])
                ]
            )
        return savings_of(runs, self._clock.now())
