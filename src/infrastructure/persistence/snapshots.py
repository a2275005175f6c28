from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from costzero.domain.errors import BadInputError, SnapshotExistsError
from costzero.domain.parking import ParkRef, ParkStep, Snapshot, check_step
from costzero.infrastructure.persistence.database import Database, RunStoreError
from costzero.infrastructure.persistence.models import SnapshotRow


class SqlAlchemySnapshotRepository:
    """Write-once park snapshots; every method commits before it returns."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def find(self, ref_key: str) -> Snapshot | None:
        with self._db.session() as session:
            row = session.scalars(
                select(SnapshotRow).where(SnapshotRow.ref_key == ref_key, SnapshotRow.closed_at.is_(None))
            ).first()
            return _snapshot(row) if row else None

    def open_snapshots(self, account: str | None = None) -> list[Snapshot]:
        query = select(SnapshotRow).where(SnapshotRow.closed_at.is_(None)).order_by(SnapshotRow.id)
        if account is not None:
            query = query.where(SnapshotRow.account == account)
        with self._db.session() as session:
            return [_snapshot(row) for row in session.scalars(query)]

    def history(self, ref_key: str, since: datetime) -> list[Snapshot]:
        query = (
            select(SnapshotRow)
            .where(
                SnapshotRow.ref_key == ref_key,
                (SnapshotRow.taken_at > since) | (SnapshotRow.closed_at > since),
            )
            .order_by(SnapshotRow.id)
        )
        with self._db.session() as session:
            return [_snapshot(row) for row in session.scalars(query)]

    def take(self, snapshot: Snapshot) -> None:
        ref = snapshot.ref
        row = SnapshotRow(
            ref_key=ref.key,
            type_key=ref.type_key,
            account=ref.account,
            region=ref.region,
            resource_id=ref.resource_id,
            name=snapshot.name,
            settings=dict(snapshot.settings),
            tags=dict(snapshot.tags) if snapshot.tags is not None else None,
            run_id=snapshot.run_id,
            taken_at=snapshot.taken_at,
            step=snapshot.step.value,
            updated_at=snapshot.taken_at,
            message="",
        )
        try:
            with self._db.write() as session:
                session.add(row)
        except RunStoreError as error:
            if isinstance(error.__cause__, IntegrityError):
                raise SnapshotExistsError(
                    f"{ref.key} already has an open snapshot; it is never overwritten"
                ) from None
            raise

    def move(self, ref_key: str, step: ParkStep, at: datetime, run_id: str, message: str = "") -> None:
        with self._db.write() as session:
            row = session.scalars(
                select(SnapshotRow).where(SnapshotRow.ref_key == ref_key, SnapshotRow.closed_at.is_(None))
            ).first()
            if row is None:
                raise BadInputError(f"no open snapshot for {ref_key}")
            check_step(ParkStep(row.step), step)
            row.step, row.updated_at, row.message = step.value, at, message
            if step is ParkStep.RESTORED:
                row.closed_at = at


def _snapshot(row: SnapshotRow) -> Snapshot:
    return Snapshot(
        ref=ParkRef(row.type_key, row.account, row.region, row.resource_id),
        settings=row.settings,
        run_id=row.run_id,
        taken_at=row.taken_at,
        step=ParkStep(row.step),
        name=row.name,
        closed_at=row.closed_at,
        tags=row.tags,
        updated_at=row.updated_at,
    )
