from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from costzero.domain.costing import ResourceCost, cost_row
from costzero.domain.errors import BadInputError
from costzero.domain.events import EventKind, RunEvent
from costzero.domain.runs import RunStatus
from costzero.infrastructure.persistence.database import Database
from costzero.infrastructure.persistence.liveness import is_gone, this_process
from costzero.infrastructure.persistence.models import ResourceActionRow, RunCostRow, RunRow, TaskRow


class SqlAlchemyRunRepository:
    """Runs, task transitions and resource actions in SQLite (default) or PostgreSQL.

    The engine is created on first use; `migrate()` brings the schema to the newest Alembic revision.
    Safe for concurrent use from worker threads: every write is one short transaction; a run's
    events come in batches (`record_events`), one transaction each.
    """

    def __init__(self, database: Database | str) -> None:
        self._db = database if isinstance(database, Database) else Database(database)

    def migrate(self) -> None:
        self._db.migrate()

    def close(self) -> None:
        self._db.close()

    def _write(self, *rows: Any) -> None:
        with self._db.write() as session:
            session.add_all(rows)

    def add_run(
        self, run_id: str, kind: str, dry_run: bool, started_at: datetime, params: dict[str, Any]
    ) -> None:
        self._write(
            RunRow(
                id=run_id,
                kind=kind,
                dry_run=dry_run,
                status=RunStatus.RUNNING,
                started_at=started_at,
                params=params,
                summary={},
                owner=this_process(),
                heartbeat_at=started_at,
            )
        )

    def finish_run(self, run_id: str, status: str, finished_at: datetime, summary: dict[str, Any]) -> None:
        with self._db.write() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                raise BadInputError(f"no run {run_id}")
            row.status, row.finished_at, row.summary = status, finished_at, summary

    def record_events(self, events: Sequence[RunEvent]) -> None:
        rows: list[Any] = []
        for event in events:
            if event.kind is EventKind.TASK:
                rows.append(
                    TaskRow(
                        run_id=event.run_id,
                        task_key=event.task_key,
                        state=event.state,
                        at=event.at,
                        reason=event.message,
                    )
                )
            elif event.kind is EventKind.RESOURCE:
                rows.append(
                    ResourceActionRow(
                        run_id=event.run_id,
                        task_key=event.task_key,
                        resource_id=event.resource_id,
                        action=event.action,
                        outcome=event.state,
                        at=event.at,
                        message=event.message,
                    )
                )
        if not rows:
            return
        with self._db.write() as session:
            session.add_all(rows)
            latest: dict[str, datetime] = {}
            for event in events:
                latest[event.run_id] = max(event.at, latest.get(event.run_id, event.at))
            for run_id, at in latest.items():
                session.execute(update(RunRow).where(RunRow.id == run_id).values(heartbeat_at=at))

    def record_costs(self, run_id: str, costs: Sequence[ResourceCost]) -> None:
        self._write(
            *(
                RunCostRow(
                    run_id=run_id,
                    type_key=c.resource.type_key,
                    resource_id=c.resource.id,
                    name=c.resource.name,
                    account=c.resource.account,
                    region=c.resource.region,
                    compute=c.compute,
                    storage=c.storage,
                    known=c.known,
                )
                for c in costs
            )
        )

    def list_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        self._settle_dead_runs()
        with self._db.session() as session:
            rows = session.scalars(select(RunRow).order_by(RunRow.started_at.desc()).limit(limit)).all()
            return [_run_dict(row) for row in rows]

    def _settle_dead_runs(self) -> None:
        """Mark "running" runs whose process is gone (SIGKILL, crash, power loss) as interrupted."""
        now = datetime.now(UTC)
        with self._db.session() as session:
            running = session.scalars(select(RunRow).where(RunRow.status == RunStatus.RUNNING)).all()
            dead = [r.id for r in running if is_gone(r.owner, r.heartbeat_at, now)]
        if not dead:
            return
        with self._db.write() as session:
            for row in session.scalars(select(RunRow).where(RunRow.id.in_(dead))).all():
                if row.status == RunStatus.RUNNING:
                    row.status = RunStatus.INTERRUPTED
                    row.summary = {**(row.summary or {}), "detected": "its process is gone"}

    def get_run(self, run_id: str) -> dict[str, Any]:
        self._settle_dead_runs()
        with self._db.session() as session:
            matches = session.scalars(
                select(RunRow).where(RunRow.id.startswith(run_id, autoescape=True))
            ).all()
            if len(matches) != 1:
                problem = "no run matches" if not matches else f"{len(matches)} runs match"
                raise BadInputError(f"{problem} {run_id!r}")
            return _whole(session, matches)[0]

    def get_runs(self, run_ids: Sequence[str]) -> list[dict[str, Any]]:
        self._settle_dead_runs()
        found: list[dict[str, Any]] = []
        with self._db.session() as session:
            for start in range(0, len(run_ids), IDS_PER_QUERY):
                chunk = list(run_ids[start : start + IDS_PER_QUERY])
                found += _whole(session, session.scalars(select(RunRow).where(RunRow.id.in_(chunk))).all())
        return found


IDS_PER_QUERY = 500  # well under SQLite's bound-parameter limit


def _whole(session: Any, runs: Sequence[RunRow]) -> list[dict[str, Any]]:
    """The runs with their costs, tasks and actions: one query per table for all of them."""
    ids = [run.id for run in runs]
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {
        i: {"costs": [], "tasks": [], "actions": []} for i in ids
    }
    for c in session.scalars(select(RunCostRow).where(RunCostRow.run_id.in_(ids)).order_by(RunCostRow.id)):
        grouped[c.run_id]["costs"].append(
            cost_row(c.type_key, c.resource_id, c.name, c.account, c.region, c.compute, c.storage, c.known)
        )
    for t in session.scalars(select(TaskRow).where(TaskRow.run_id.in_(ids)).order_by(TaskRow.id)):
        grouped[t.run_id]["tasks"].append(
            {"task_key": t.task_key, "state": t.state, "at": t.at.isoformat(), "reason": t.reason}
        )
    actions = (
        select(ResourceActionRow).where(ResourceActionRow.run_id.in_(ids)).order_by(ResourceActionRow.id)
    )
    for a in session.scalars(actions):
        grouped[a.run_id]["actions"].append(
            {
                "task_key": a.task_key,
                "resource_id": a.resource_id,
                "action": a.action,
                "outcome": a.outcome,
                "at": a.at.isoformat(),
                "message": a.message,
            }
        )
    return [{**_run_dict(run), **grouped[run.id]} for run in runs]


def _run_dict(row: RunRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "dry_run": row.dry_run,
        "status": row.status,
        "started_at": row.started_at.isoformat(),
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        "summary": row.summary,
        "params": row.params,
    }
