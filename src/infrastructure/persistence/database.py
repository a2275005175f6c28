from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from costzero.domain.errors import BadInputError, CostZeroError

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


class Database:
    """One engine for all stores; created on first use; `migrate()` runs Alembic to head.

    SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE; PostgreSQL URLs work as they are.
    Writes are serialised by a lock (SQLite allows one writer) and each is one short transaction.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self.lock = threading.RLock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self.lock:
                if self._engine is None:
                    self._engine = self._create_engine()
                    self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        return self._engine

    def _create_engine(self) -> Engine:
        try:
            if self.url.startswith("sqlite"):
                database = self.url.split(":///", 1)[-1]
                if database and database != ":memory:":
                    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(self.url, connect_args={"check_same_thread": False})
                _sqlite_setup(engine)
                return engine
            return create_engine(self.url, pool_pre_ping=True)
        except (SQLAlchemyError, ValueError, OSError) as error:
            raise BadInputError(f"cannot use database {self.url!r}: {error}") from None

    def session(self) -> Session:
        _ = self.engine
        assert self._sessions is not None
        return self._sessions()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One committed transaction, serialised with every other write."""
        try:
            with self.lock, self.session() as session, session.begin():
                yield session
        except SQLAlchemyError as error:
            raise RunStoreError(f"cannot write to the run store: {error}") from error

    def migrate(self) -> None:
        # Alembic is imported here, not at the top: it costs about 0.45 s, and only opening the
        # store needs it (not `--help`, `--version`, or a command that fails on bad input first)
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except SQLAlchemyError as error:
            raise RunStoreError(f"cannot prepare the run store: {error}") from error

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
