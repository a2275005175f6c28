from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from costzero.domain.costing import ResourceCost, cost_row
from costzero.domain.errors import BadInputError
from costzero.domain.events import EventKind, RunEvent


class FakeRunRepository:
    """RunRepository in memory: `runs`, `tasks` and `actions` are plain dicts a test can read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.runs: dict[str, dict[str, Any]] = {}
        self.tasks: dict[str, list[dict[str, Any]]] = {}
        self.actions: dict[str, list[dict[str, Any]]] = {}
        self.costs: dict[str, list[dict[str, Any]]] = {}
        self.batches: list[int] = []  # events per record_events call (one transaction each)

    def add_run(
        self, run_id: str, kind: str, dry_run: bool, started_at: datetime, params: dict[str, Any]
    ) -> None:
        with self._lock:
            self.runs[run_id] = {
                "id": run_id,
                "kind": kind,
                "dry_run": dry_run,
                "status": "running",
                "started_at": started_at.isoformat(),
                "finished_at": None,
                "summary": {},
                "params": params,
            }
            self.tasks[run_id], self.actions[run_id] = [], []

    def finish_run(self, run_id: str, status: str, finished_at: datetime, summary: dict[str, Any]) -> None:
        with self._lock:
            self.runs[run_id].update(status=status, finished_at=finished_at.isoformat(), summary=summary)

    def record_events(self, events: Sequence[RunEvent]) -> None:
        with self._lock:
            self.batches.append(len(events))
            for event in events:
                if event.kind is EventKind.TASK:
                    self.tasks[event.run_id].append(
                        {
                            "task_key": event.task_key,
                            "state": event.state,
                            "at": event.at.isoformat(),
                            "reason": event.message,
                        }
                    )
                elif event.kind is EventKind.RESOURCE:
                    self.actions[event.run_id].append(
                        {
                            "task_key": event.task_key,
                            "resource_id": event.resource_id,
                            "action": event.action,
                            "outcome": event.state,
                            "at": event.at.isoformat(),
                            "message": event.message,
                        }
                    )

    def record_costs(self, run_id: str, costs: Sequence[ResourceCost]) -> None:
        with self._lock:
            rows = [
                cost_row(
                    c.resource.type_key,
                    c.resource.id,
                    c.resource.name,
                    c.resource.account,
                    c.resource.region,
                    c.compute,
                    c.storage,
                    c.known,
                )
                for c in costs
            ]
            self.costs.setdefault(run_id, []).extend(rows)

    def list_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        runs = sorted(self.runs.values(), key=lambda run: run["started_at"], reverse=True)
        return [dict(run) for run in runs[:limit]]

    def get_runs(self, run_ids: Sequence[str]) -> list[dict[str, Any]]:
        return [self._whole(run_id) for run_id in run_ids if run_id in self.runs]

    def get_run(self, run_id: str) -> dict[str, Any]:
        matches = [key for key in self.runs if key.startswith(run_id)]
        if len(matches) != 1:
            problem = "no run matches" if not matches else f"{len(matches)} runs match"
            raise BadInputError(f"{problem} {run_id!r}")
        return self._whole(matches[0])

    def _whole(self, key: str) -> dict[str, Any]:
        return {
            **self.runs[key],
            "costs": list(self.costs.get(key, [])),
            "tasks": list(self.tasks[key]),
            "actions": list(self.actions[key]),
        }
