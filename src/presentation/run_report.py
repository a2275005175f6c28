"""A run's report: ONE data structure (`report_data`) that the HTML page, the JSON document and the
CSV rows all come from, so the three never disagree.

Costs are the hourly rates the run recorded for the resources it acted on, priced when it started
(`RunRepository.record_costs`). Before: what those resources billed then. After: what still bills
once the run is over (a destroy: the rates of what was not deleted; a stop: the storage of what
was parked and the whole rate of the rest). A rate with an unpriced dimension counts its known part
and is counted in `unknown`: a total is then a lower bound, never a silent zero. Real runs report
what they saved so far and still save per month (`SavingsReport`); dry runs what they would save.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costzero.application.savings import SavingsReport
from costzero.domain.errors import BadInputError
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.pricing import HOURS_PER_MONTH
from costzero.presentation.reports import summary_text

if TYPE_CHECKING:
    from costzero.presentation.sdk import CostZero

FORMATS = ("html", "json", "csv")
RESOURCE_FIELDS = (
    "type",
    "id",
    "name",
    "region",
    "account",
    "outcome",
    "message",
    "usd_per_hour",
    "usd_per_month",
    "known",
    "saved_usd",
)
WAITING = "waiting"
# outcomes after which a resource no longer bills (destroy) or bills its storage only (stop)
_GONE = {str(OutcomeKind.DONE), str(OutcomeKind.GONE)}
_PARKED = {str(OutcomeKind.PARKED)}
_EFFECT = {
    ("destroy", False): _GONE,
    ("destroy", True): {str(OutcomeKind.WOULD_DELETE)},
    ("stop", False): _PARKED,
    ("stop", True): {str(OutcomeKind.WOULD_STOP)},
}


def report_data(run: Mapping[str, Any], savings: SavingsReport) -> dict[str, Any]:
    """The report of a stored run (`RunRepository.get_run`) with its savings (`SavingsLedger.report`
    of that run; its `now` is the report's time)."""
    saved = savings.as_dict()
    outcomes = _last_outcomes(run.get("actions", []))
    costs = list(run.get("costs", []))
    cost = _cost(run, costs, outcomes)
    saved_by_ref = {
        (item["type"], item["id"]): item["saved_usd"]
        for item in saved["items"]
        if item["run_id"] == run["id"]
    }
    return {
        "report": "costzero run report",
        "generated_at": saved["as_of"],
        "run": _run(run),
        "cost": cost,
        "savings": _savings(run, cost, saved),
        "timeline": _timeline(run),
        "resources": _resources(run, costs, outcomes, saved_by_ref),
    }


def _run(run: Mapping[str, Any]) -> dict[str, Any]:
    params = run.get("params") or {}
    summary = run.get("summary") or {}
    # each resource's last outcome (the summary also counts the steps on the way: "pending")
    outcomes = dict(Counter(str(a["outcome"]) for a in _last_outcomes(run.get("actions") or []).values()))
    return {
        "id": run["id"],
        "kind": run["kind"],
        "dry_run": bool(run["dry_run"]),
        "status": run["status"],
        "account": params.get("account", ""),
        "regions": list(params.get("regions") or []),
        "types": list(params.get("types") or []),
        "started_at": run["started_at"],
        "finished_at": run.get("finished_at"),
        "duration_seconds": _seconds(run["started_at"], run.get("finished_at")),
        "outcomes": outcomes,
        "summary": summary_text(outcomes),
        "error": summary.get("error"),
    }


def _last_outcomes(actions: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """(type, resource id) -> the last action recorded on it, in the order resources first appeared."""
    last: dict[tuple[str, str], Mapping[str, Any]] = {}
    for action in actions:
        last[(_type_of(action["task_key"]), action["resource_id"])] = action
    return last


def _cost(
    run: Mapping[str, Any], costs: Sequence[Mapping[str, Any]], outcomes: Mapping[tuple[str, str], Any]
) -> dict[str, Any]:
    before = sum(c["usd_per_hour"] for c in costs)
    unknown = sum(1 for c in costs if not c["known"])
    effect = _EFFECT.get((run["kind"], bool(run["dry_run"])))
    after: float | None = None
    after_unknown = 0
    note = ""
    if effect is None:  # a start: what it brings back was priced by the stop that parked it
        note = "a start brings back what its stop saved; see the stop run's report"
    else:
        after = 0.0
        for c in costs:
            action = outcomes.get((c["type"], c["id"]))
            acted = action is not None and action["outcome"] in effect
            if not acted:
                after += c["usd_per_hour"]
            elif run["kind"] == "stop":
                after += c["storage_usd_per_hour"]
            if not c["known"] and (not acted or run["kind"] == "stop"):
                after_unknown += 1
    return {
        "resources": len(costs),
        "unknown": unknown,
        "before_usd_per_hour": round(before, 6),
        "before_usd_per_month": round(before * HOURS_PER_MONTH, 2),
        "after_usd_per_hour": None if after is None else round(after, 6),
        "after_usd_per_month": None if after is None else round(after * HOURS_PER_MONTH, 2),
        "after_unknown": after_unknown,
        "note": note,
    }


def _savings(run: Mapping[str, Any], cost: Mapping[str, Any], saved: Mapping[str, Any]) -> dict[str, Any]:
    if cost["after_usd_per_hour"] is None:
        return {
            "kind": "none",
            "so_far_usd": None,
            "usd_per_hour": None,
            "usd_per_month": None,
            "as_of": saved["as_of"],
            "unknown": 0,
            "note": cost["note"],
        }
    if run["dry_run"]:
        hourly = cost["before_usd_per_hour"] - cost["after_usd_per_hour"]
        return {
            "kind": "would-save",
            "so_far_usd": None,
            "usd_per_hour": round(hourly, 6),
            "usd_per_month": round(hourly * HOURS_PER_MONTH, 2),
            "as_of": saved["as_of"],
            "unknown": cost["unknown"],
            "note": "a dry run changes nothing: what a real run would save",
        }
    return {
        "kind": "saved",
        "so_far_usd": saved["saved_usd"],
        "usd_per_hour": saved["still_saving_usd_per_hour"],
        "usd_per_month": saved["projected_usd_per_month"],
        "as_of": saved["as_of"],
        "unknown": saved["unknown"],
        "note": "saved since the run acted, and what still saves (a later start ends a stop's saving)",
    }


def _timeline(run: Mapping[str, Any]) -> dict[str, Any]:
    """Each task's bar: its first and last state change, the intervals it spent waiting, its end
    state; seconds from the run's start."""
    origin = run["started_at"]
    run_end = run.get("finished_at")
    changes: dict[str, list[Mapping[str, Any]]] = {}
    for change in run.get("tasks", []):
        changes.setdefault(change["task_key"], []).append(change)
    tasks = []
    for key, states in changes.items():
        start, end = states[0]["at"], states[-1]["at"]
        if states[-1]["state"] == WAITING and run_end:  # interrupted while waiting: waited to the end
            end = max(end, run_end, key=_time)
        waits = []
        for n, change in enumerate(states):
            if change["state"] == WAITING:
                until = states[n + 1]["at"] if n + 1 < len(states) else end
                waits.append([_offset(origin, change["at"]), _offset(origin, until)])
        tasks.append(
            {
                "task": key,
                "type": _type_of(key),
                "region": _where(key)[1],
                "start_s": _offset(origin, start),
                "end_s": _offset(origin, end),
                "waits": waits,
                "attempts": sum(1 for s in states if s["state"] == "running"),
                "state": states[-1]["state"],
                "reason": states[-1].get("reason") or "",
            }
        )
    ends = [t["end_s"] for t in tasks]
    span = _seconds(origin, run_end)
    return {
        "origin": origin,
        "seconds": round(max([*ends, span or 0.0]), 3),
        "tasks": tasks,
    }


def _resources(
    run: Mapping[str, Any],
    costs: Sequence[Mapping[str, Any]],
    outcomes: Mapping[tuple[str, str], Mapping[str, Any]],
    saved: Mapping[tuple[str, str], float],
) -> list[dict[str, Any]]:
    """Every resource the run priced or reported on (kept and blocked ones unpriced), by type, region
    and id."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    params = run.get("params") or {}
    for (type_key, resource_id), action in outcomes.items():
        account, region = _where(action["task_key"])
        rows[(type_key, resource_id)] = _row(
            type_key, resource_id, None, region, account or params.get("account")
        )
    for c in costs:
        row = rows.setdefault(
            (c["type"], c["id"]), _row(c["type"], c["id"], c["name"], c["region"], c["account"])
        )
        row.update(
            name=c["name"],
            usd_per_hour=c["usd_per_hour"],
            usd_per_month=c["usd_per_month"],
            known=c["known"],
        )
        if not run["dry_run"]:
            row["saved_usd"] = saved.get((c["type"], c["id"]), 0.0)
    for key, row in rows.items():
        last = outcomes.get(key)
        if last is not None:
            row.update(outcome=last["outcome"], message=last["message"])
    return [rows[key] for key in sorted(rows, key=lambda k: (k[0], rows[k]["region"], k[1]))]


def _row(type_key: str, resource_id: str, name: Any, region: str, account: Any) -> dict[str, Any]:
    return {
        "type": type_key,
        "id": resource_id,
        "name": name,
        "region": region,
        "account": account or "",
        "outcome": "",
        "message": "",
        "usd_per_hour": None,
        "usd_per_month": None,
        "known": None,
        "saved_usd": None,
    }


def _type_of(task_key: str) -> str:
    return task_key.split("@", 1)[0]


def _where(task_key: str) -> tuple[str, str]:
    """ "ec2:volume@123456789012/us-east-1" -> (account, region)."""
    _, _, place = task_key.partition("@")
    account, _, region = place.partition("/")
    return account, region


def _time(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _offset(origin: Any, at: Any) -> float:
    return round(max(0.0, (_time(at) - _time(origin)).total_seconds()), 3)


def _seconds(start: Any, end: Any) -> float | None:
    return None if not start or not end else _offset(start, end)


# -- the three documents ------------------------------------------------------------------------


def as_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, default=str) + "\n"


def as_csv(data: Mapping[str, Any]) -> str:
    """The per-resource rows, one header line (empty cells for what is not known)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(RESOURCE_FIELDS), lineterminator="\n")
    writer.writeheader()
    for row in data["resources"]:
        writer.writerow({k: "" if row[k] is None else row[k] for k in RESOURCE_FIELDS})
    return buffer.getvalue()


def render(data: Mapping[str, Any], fmt: str) -> str:
    check_format(fmt)
    if fmt == "json":
        return as_json(data)
    if fmt == "csv":
        return as_csv(data)
    from costzero.presentation.report_html import render_html

    return render_html(data)


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise BadInputError(f"unknown report format {fmt!r} (use {', '.join(FORMATS)})")


def format_of(path: Path) -> str:
    """The report format a file name asks for (.html/.htm, .json, .csv), checked with its folder
    before a run starts: a report that cannot be written is refused then, not after the run."""
    suffix = path.suffix.lower().lstrip(".")
    fmt = "html" if suffix == "htm" else suffix
    if fmt not in FORMATS:
        raise BadInputError(f"unknown report file type {path.name!r} (use .html, .json or .csv)")
    check_writable(path)
    return fmt


def check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise BadInputError(f"cannot write report {path}: it is a directory")
    if not folder.is_dir():
        raise BadInputError(f"cannot write report {path}: no directory {folder}")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadInputError(f"cannot write report {path}: permission denied")


def build(sdk: CostZero, run_id: str) -> dict[str, Any]:
    """The report data of one run (ID or unique prefix) from the SDK."""
    run = sdk.run(run_id)
    return report_data(run, sdk.savings(run["id"]))


def save(sdk: CostZero, run_id: str, path: Path) -> None:
    """After a run (`--report FILE`): its report in the format the file name asks for; the path on
    stderr, so that stdout keeps the run's own document."""
    fmt = format_of(path)
    write(render(build(sdk, run_id), fmt), path)
    sys.stderr.write(f"wrote {fmt} report of run {run_id} to {path}\n")


def write(text: str, path: Path) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise BadInputError(f"cannot write report {path}: {error.strerror or error}") from None
