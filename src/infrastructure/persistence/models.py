from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC; gives back aware datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    dry_run: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    owner: Mapped[str | None] = mapped_column(String(128), nullable=True)  # "host:pid" running it
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class TaskRow(Base):
    """One row per task state change (append-only)."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    task_key: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")


class ResourceActionRow(Base):
    """One row per action on a resource (append-only)."""

    __tablename__ = "resource_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    task_key: Mapped[str] = mapped_column(String(255))
    resource_id: Mapped[str] = mapped_column(String(1024))
    action: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    message: Mapped[str] = mapped_column(Text, default="")


class RunCostRow(Base):
    """The hourly rate of one resource a run acted on, priced when the run started."""

    __tablename__ = "run_costs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    type_key: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str] = mapped_column(String(1024))
    name: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    account: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(32))
    compute: Mapped[float] = mapped_column(Float)  # USD per hour
    storage: Mapped[float] = mapped_column(Float)
    known: Mapped[bool] = mapped_column(Boolean)  # False: some dimension had no price


class SnapshotRow(Base):
    """A park snapshot: `settings` is written once; `step` moves; `closed_at` is set on restore.

    At most one open snapshot per resource (a partial unique index on ref_key where closed_at IS NULL).
    """

    __tablename__ = "park_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ref_key: Mapped[str] = mapped_column(String(1024), index=True)
    type_key: Mapped[str] = mapped_column(String(64))
    account: Mapped[str] = mapped_column(String(32), index=True)
    region: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[str] = mapped_column(String(1024))
    name: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    run_id: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime())
    step: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    message: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    tags: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
