"""Plans, results and runs as plain data: the JSON documents and CSV rows every command prints."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from costzero.application.cleanup import CleanupResult, DestroyPlan
from costzero.application.park_plan import ParkPlan, ParkResult

ACTION_FIELDS = ("at", "task_key", "resource_id", "action", "outcome", "message")
PLAN_FIELDS = ("stage", "task", "type", "id", "name", "region")
OUTCOME_FIELDS = ("task", "resource", "outcome", "message")
# outcomes in the order a summary names them; the rest follow alphabetically
_SUMMARY_ORDER = ("would-delete", "done", "gone", "parked", "restored", "kept", "protected", "failed")
_SUMMARY_WORDS = {"done": "deleted", "gone": "already gone"}


def plan_as_dict(plan: DestroyPlan) -> dict[str, Any]:
    pipeline = plan.pipeline
    return {
        "account": plan.account,
        "regions": list(plan.regions),
        "targets": len(plan.targets),
        "real_run_refused": plan.policy.blast_radius_refusal(len(plan.targets)),
        "stages": [
            {
                "stage": stage.index,
                "tasks": [
                    {
                        "task": str(key),
                        "resources": [
                            {"id": r.id, "name": r.name, "region": r.region, "tags": dict(r.tags or {})}
                            for r in pipeline.resources.get(key, [])
                        ],
                    }
                    for key in stage.tasks
                ],
            }
            for stage in pipeline.stages
        ],
        "kept": [
            {
                "type": k.resource.type_key,
                "id": k.resource.id,
                "region": k.resource.region,
                "reason": k.reason,
            }
            for k in plan.kept
        ],
        "blocked": [
            {
                "type": k.resource.type_key,
                "id": k.resource.id,
                "region": k.resource.region,
                "reason": k.reason,
            }
            for k in plan.blocked
        ],
        "failures": {str(key): reason for key, reason in plan.failures.items()},
    }


def plan_rows(plan: DestroyPlan) -> list[dict[str, Any]]:
    return [
        {
            "stage": stage.index,
            "task": str(key),
            "type": r.type_key,
            "id": r.id,
            "name": r.name,
            "region": r.region,
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
            }
            for i in plan.reports
        ],
        "kept": [{"type": k.resource.type_key, "id": k.resource.id, "reason": k.reason} for k in plan.kept],
        "failures": {str(key): reason for key, reason in plan.failures.items()},
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


def result_as_dict(result: CleanupResult | ParkResult, run: Mapping[str, Any]) -> dict[str, Any]:
    """A run's result: run id, task states, outcome counts and every resource's outcome."""
    document: dict[str, Any] = {
        "run_id": result.run_id,
        "dry_run": result.dry_run,
        "ok": result.ok,
        "task_states": dict(result.task_states),
        "task_reasons": dict(result.task_reasons),
        "outcomes": dict(result.outcomes),
        "resources": resource_outcomes(run),
    }
    if isinstance(result, CleanupResult):
        document.update(planned=result.planned, kept=result.kept)
    else:
        document["action"] = result.action
    return document


def summary_text(outcomes: Mapping[str, int]) -> str:
    """{"done": 12, "kept": 3, "failed": 1} -> "deleted 12, kept 3, failed 1"."""
    order = [k for k in _SUMMARY_ORDER if outcomes.get(k)]
    order += sorted(k for k in outcomes if k not in _SUMMARY_ORDER and outcomes[k])
    return ", ".join(f"{_SUMMARY_WORDS.get(k, k)} {outcomes[k]}" for k in order) or "nothing"


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
