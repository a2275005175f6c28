"""Plans, results and runs as plain data: the JSON documents and CSV rows every command prints."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from costzero.application.cleanup import DestroyPlan
from costzero.application.parking import ParkPlan
from costzero.application.run_lifecycle import RunResult
from costzero.domain.costing import CostSheet
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Action, Resource
from costzero.domain.safety import Kept
from costzero.presentation.cost_views import savings_dict

ACTION_FIELDS = ("at", "task_key", "resource_id", "action", "outcome", "message")
PLAN_FIELDS = ("stage", "task", "type", "id", "name", "region", "usd_per_hour", "usd_per_month")
OUTCOME_FIELDS = ("task", "resource", "outcome", "message")
# outcomes in the order a summary names them; the rest follow alphabetically
_SUMMARY_ORDER = tuple(
    str(k)
    for k in (
        OutcomeKind.WOULD_DELETE,
        OutcomeKind.DONE,
        OutcomeKind.GONE,
        OutcomeKind.PARKED,
        OutcomeKind.RESTORED,
        OutcomeKind.KEPT,
        OutcomeKind.PROTECTED,
        OutcomeKind.FAILED,
    )
)
_SUMMARY_WORDS = {str(OutcomeKind.DONE): "deleted", str(OutcomeKind.GONE): "already gone"}


def plan_as_dict(plan: DestroyPlan) -> dict[str, Any]:
    pipeline = plan.pipeline
    return {
        "account": plan.account,
        "regions": list(plan.regions),
        "targets": len(plan.targets),
        "real_run_refused": plan.policy.blast_radius_refusal(len(plan.reach)),
        "stages": [
            {
                "stage": stage.index,
                "tasks": [
                    {
                        "task": str(key),
                        "resources": [
                            {
                                "id": r.id,
                                "name": r.name,
                                "region": r.region,
                                "tags": dict(r.tags or {}),
                                **_money(plan.costs, r),
                            }
                            for r in pipeline.resources.get(key, [])
                        ],
                    }
                    for key in stage.tasks
                ],
            }
            for stage in pipeline.stages
        ],
        "kept": _left_rows(plan.kept),
        "blocked": _left_rows(plan.blocked),
        "with_stack": _left_rows(plan.with_stack),
        "protected": _left_rows(plan.protected),
        "failures": {str(key): reason for key, reason in plan.failures.items()},
        "cost": plan_cost(plan.costs, Action.DELETE, plan.reach),
        "disable_protection": list(plan.disable_protection),
        # the selected types deleted with a final snapshot, and whether the user skips it
        "final_snapshots": {
            "types": list(plan.final_snapshots.types),
            "skipped": plan.final_snapshots.skipped,
        },
    }


def _left_rows(items: Iterable[Kept]) -> list[dict[str, str]]:
    return [
        {"type": k.resource.type_key, "id": k.resource.id, "region": k.resource.region, "reason": k.reason}
        for k in items
    ]


def plan_cost(sheet: CostSheet | None, action: Action, acted: Iterable[Resource]) -> dict[str, Any] | None:
    """What a plan's resources cost now (total, per type and region) and what the action saves."""
    if sheet is None:
        return None
    return {
        "prices": {
            "source": sheet.prices.source,
            "generated_at": sheet.prices.generated_at.isoformat() if sheet.prices.generated_at else None,
            "warning": sheet.prices.warning or None,
        },
        "now": sheet.total().as_dict(),
        "by_type": {name: t.as_dict() for name, t in sheet.grouped("type").items()},
        "by_region": {name: t.as_dict() for name, t in sheet.grouped("region").items()},
        **savings_dict(sheet.savings(action, [r.ref for r in acted])),
    }


def _money(sheet: CostSheet | None, resource: Resource) -> dict[str, Any]:
    cost = sheet.get(resource.ref) if sheet is not None else None
    if cost is None:
        return {"usd_per_hour": None, "usd_per_month": None, "known": False}
    row = cost.as_row()
    return {k: row[k] for k in ("usd_per_hour", "usd_per_month", "compute_usd_per_hour", "known")}


def plan_rows(plan: DestroyPlan) -> list[dict[str, Any]]:
    return [
        {
            "stage": stage.index,
            "task": str(key),
            "type": r.type_key,
            "id": r.id,
            "name": r.name,
            "region": r.region,
            **_money(plan.costs, r),
        }
        for stage in plan.pipeline.stages
        for key in stage.tasks
        for r in plan.pipeline.resources.get(key, [])
    ]


def park_plan_as_dict(plan: ParkPlan) -> dict[str, Any]:
    return {
        "action": plan.action.value,
        "account": plan.account,
        "regions": list(plan.regions),
        "changes": len(plan.changes),
        "real_run_refused": plan.policy.blast_radius_refusal(len(plan.changes)),
        "resources": [
            {
                "type": i.resource.type_key,
                "id": i.resource.id,
                "name": i.resource.name,
                "region": i.resource.region,
                "decision": i.decision.value,
                "reason": i.reason,
                "before": i.before_after[0],
                "after": i.before_after[1],
                **_money(plan.costs, i.resource),
            }
            for i in plan.reports
        ],
        "kept": [{"type": k.resource.type_key, "id": k.resource.id, "reason": k.reason} for k in plan.kept],
        "failures": {str(key): reason for key, reason in plan.failures.items()},
        "cost": plan_cost(plan.costs, plan.action, [i.resource for i in plan.changes]),
    }


def resource_outcomes(run: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each resource's last recorded outcome in a run, in the order resources first appeared."""
    last: dict[tuple[str, str], dict[str, str]] = {}
    for action in run.get("actions", []):
        last[(action["task_key"], action["resource_id"])] = {
            "task": action["task_key"],
            "resource": action["resource_id"],
            "outcome": action["outcome"],
            "message": action["message"],
        }
    return list(last.values())


def result_as_dict(result: RunResult, run: Mapping[str, Any]) -> dict[str, Any]:
    """A run's result: run id, task states, outcome counts and every resource's outcome."""
    document: dict[str, Any] = {
        "run_id": result.run_id,
        "dry_run": result.dry_run,
        "ok": result.ok,
        "status": str(result.status),
        "task_states": {k: str(v) for k, v in result.task_states.items()},
        "task_reasons": dict(result.task_reasons),
        "outcomes": {str(k): n for k, n in result.outcomes.items()},
        "left": {str(k): n for k, n in result.left_outcomes.items()},
        "resources": resource_outcomes(run),
    }
    if result.action is Action.DELETE:
        document.update(planned=result.planned, kept=result.kept)
    else:
        document["action"] = str(result.action)
    return document


def summary_text(outcomes: Mapping[OutcomeKind, int] | Mapping[str, int]) -> str:
    """{done: 12, kept: 3, failed: 1} -> "deleted 12, kept 3, failed 1" (a run's result, or the
    counts a stored run's summary holds under the outcomes' names)."""
    counts = {str(k): n for k, n in outcomes.items() if n}
    order = [k for k in _SUMMARY_ORDER if k in counts]
    order += sorted(k for k in counts if k not in _SUMMARY_ORDER)
    return ", ".join(f"{_SUMMARY_WORDS.get(k, k)} {counts[k]}" for k in order) or "nothing"


def run_row(run: Mapping[str, Any]) -> dict[str, Any]:
    """One line of `runs list`: who, where, how long, and what came of it."""
    params = run.get("params") or {}
    summary = run.get("summary") or {}
    return {
        "id": run["id"],
        "kind": run["kind"],
        "dry_run": run["dry_run"],
        "status": run["status"],
        "account": params.get("account", ""),
        "regions": list(params.get("regions", [])),
        "started_at": run["started_at"],
        "duration_seconds": _duration(run.get("started_at"), run.get("finished_at")),
        "summary": summary_text(summary.get("outcomes") or {}),
    }


def _duration(started: str | None, finished: str | None) -> float | None:
    if not started or not finished:
        return None
    return round((datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds(), 1)


def run_as_json(run: dict[str, Any]) -> str:
    return json.dumps(run, indent=2, default=str)


def run_actions_as_csv(run: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACTION_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for action in run.get("actions", []):
        writer.writerow(action)
    return buffer.getvalue()
