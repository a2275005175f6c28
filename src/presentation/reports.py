from __future__ import annotations

import csv
import io
import json
from typing import Any

from costzero.application.cleanup import DestroyPlan

ACTION_FIELDS = ("at", "task_key", "resource_id", "action", "outcome", "message")


def plan_as_dict(plan: DestroyPlan) -> dict[str, Any]:
    pipeline = plan.pipeline
    return {
        "account": plan.account,
        "regions": list(plan.regions),
        "targets": len(plan.targets),
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


def run_as_json(run: dict[str, Any]) -> str:
    return json.dumps(run, indent=2, default=str)


def run_actions_as_csv(run: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACTION_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for action in run.get("actions", []):
        writer.writerow(action)
    return buffer.getvalue()
