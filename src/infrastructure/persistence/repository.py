from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from costzero.domain.errors import BadInputError, CostZeroError
from costzero.infrastructure.persistence.models import ResourceActionRow, RunRow, TaskRow

MIGRATIONS = Path(__file__).parent / "migrations"


class RunStoreError(CostZeroError):
    """The run store could not be read or written."""


def _sqlite_setup(engine: Engine) -> None:
    """WAL, a busy timeout and BEGIN IMMEDIATE for writes (pysqlite's own BEGIN is switched off)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class SqlAlchemyRunRepository:
    """Runs, task transitions and resource actions in SQLite (default) or PostgreSQL.

    The engine is created on first use; `migrate()` brings the schema to the newest Alembic revision.
    Safe for concurrent use from worker threads: every write is one short transaction.
    """

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._create_engine()
                    self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        return self._engine

    def _create_engine(self) -> Engine:
        try:
            if self._url.startswith("sqlite"):
                database = self._url.split(":///", 1)[-1]
                if database and database != ":memory:":
                    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(self._url, connect_args={"check_same_thread": False})
                _sqlite_setup(engine)
                return engine
            return create_engine(self._url, pool_pre_ping=True)
        except (SQLAlchemyError, ValueError, OSError) as error:
            raise BadInputError(f"cannot use database {self._url!r}: {error}") from None

    def migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except SQLAlchemyError as error:
            raise RunStoreError(f"cannot prepare the run store: {error}") from error

    def _session(self) -> Session:
        _ = self.engine
        assert self._sessions is not None
        return self._sessions()

    def _write(self, *rows: Any) -> None:
        try:
            with self._lock, self._session() as session, session.begin():
                session.add_all(rows)
        except SQLAlchemyError as error:
            raise RunStoreError(f"cannot write to the run store: {error}") from error

    def add_run(
        self, run_id: str, kind: str, dry_run: bool, started_at: datetime, params: dict[str, Any]
    ) -> None:
        self._write(
            RunRow(
                id=run_id,
                kind=kind,
                dry_run=dry_run,
                status="running",
                started_at=started_at,
                params=params,
                summary={},
            )
        )

    def finish_run(self, run_id: str, status: str, finished_at: datetime, summary: dict[str, Any]) -> None:
        with self._lock, self._session() as session, session.begin():
            row = session.get(RunRow, run_id)
            if row is None:
                raise BadInputError(f"no run {run_id}")
            row.status, row.finished_at, row.summary = status, finished_at, summary

    def record_task(self, run_id: str, task_key: str, state: str, at: datetime, reason: str) -> None:
        self._write(TaskRow(run_id=run_id, task_key=task_key, state=state, at=at, reason=reason))

    def record_action(
        self,
        run_id: str,
        task_key: str,
        resource_id: str,
        action: str,
        outcome: str,
        at: datetime,
        message: str,
    ) -> None:
        self._write(
            ResourceActionRow(
                run_id=run_id,
                task_key=task_key,
                resource_id=resource_id,
                action=action,
                outcome=outcome,
                at=at,
                message=message,
            )
        )

    def list_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        with self._session() as session:
            rows = session.scalars(select(RunRow).order_by(RunRow.started_at.desc()).limit(limit)).all()
            return [_run_dict(row) for row in rows]

    def get_run(self, run_id: str) -> dict[str, Any]:
        with self._session() as session:
            matches = session.scalars(
                select(RunRow).where(RunRow.id.startswith(run_id, autoescape=True))
            ).all()
            if len(matches) != 1:
                problem = "no run matches" if not matches else f"{len(matches)} runs match"
                raise BadInputError(f"{problem} {run_id!r}")
            run = matches[0]
            tasks = session.scalars(
                select(TaskRow).where(TaskRow.run_id == run.id).order_by(TaskRow.id)
            ).all()
            actions = session.scalars(
                select(ResourceActionRow)
                .where(ResourceActionRow.run_id == run.id)
                .order_by(ResourceActionRow.id)
            ).all()
            return {
                **_run_dict(run),
                "params": run.params,
                "tasks": [
                    {"task_key": t.task_key, "state": t.state, "at": t.at.isoformat(), "reason": t.reason}
                    for t in tasks
                ],
                "actions": [
                    {
                        "task_key": a.task_key,
                        "resource_id": a.resource_id,
                        "action": a.action,
                        "outcome": a.outcome,
                        "at": a.at.isoformat(),
                        "message": a.message,
                    }
                    for a in actions
                ],
            }

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _run_dict(row: RunRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "dry_run": row.dry_run,
        "status": row.status,
        "started_at": row.started_at.isoformat(),
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        "summary": row.summary,
    }
