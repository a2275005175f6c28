"""The SQLAlchemy snapshot repository on a real SQLite file, and its fake held to the same rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from costzero.domain.errors import BadInputError, IllegalTransitionError, SnapshotExistsError
from costzero.domain.parking import ParkRef, ParkStep, Snapshot
from costzero.infrastructure.persistence.database import Database
from costzero.infrastructure.persistence.snapshots import SqlAlchemySnapshotRepository
from tests.fakes.snapshots import FakeSnapshotRepository

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
REF = ParkRef("ec2:instance", "111122223333", "us-east-1", "i-1")
OTHER = ParkRef("ec2:instance", "444455556666", "us-east-1", "i-9")


@pytest.fixture(params=["sqlalchemy", "fake"])
def snapshots(request, tmp_path):
    if request.param == "fake":
        yield FakeSnapshotRepository()
        return
    database = Database(f"sqlite:///{tmp_path / 'runs.db'}")
    database.migrate()
    yield SqlAlchemySnapshotRepository(database)
    database.close()


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _utc(value: datetime | None) -> datetime | None:  # SQLite hands datetimes back naive
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def test_an_open_snapshot_is_written_once_and_moves_only_along_its_lifecycle(snapshots):
    snapshots.take(Snapshot(REF, {"status": "running"}, "run-1", T0, name="web", tags={"team": "a"}))
    with pytest.raises(SnapshotExistsError):
        snapshots.take(Snapshot(REF, {"status": "stopped"}, "run-2", _at(1)))
    snapshots.move(REF.key, ParkStep.APPLYING, _at(2), "run-1")
    with pytest.raises(IllegalTransitionError):
        snapshots.move(REF.key, ParkStep.PLANNED, _at(3), "run-1")
    snapshots.move(REF.key, ParkStep.VERIFIED, _at(3), "run-1", "found parked")
    found = snapshots.find(REF.key)
    assert (dict(found.settings), found.step, found.name, dict(found.tags)) == (
        {"status": "running"},
        ParkStep.VERIFIED,
        "web",
        {"team": "a"},
    )
    assert (_utc(found.taken_at), _utc(found.updated_at), found.closed_at) == (T0, _at(3), None)


def test_restored_closes_the_snapshot_and_the_next_stop_writes_a_new_one(snapshots):
    snapshots.take(Snapshot(REF, {"status": "running"}, "run-1", T0))
    snapshots.move(REF.key, ParkStep.RESTORING, _at(5), "run-2")
    snapshots.move(REF.key, ParkStep.RESTORED, _at(6), "run-2")
    assert snapshots.find(REF.key) is None
    with pytest.raises(BadInputError):
        snapshots.move(REF.key, ParkStep.APPLYING, _at(7), "run-3")
    snapshots.take(Snapshot(REF, {"status": "running"}, "run-3", _at(8)))
    assert [s.run_id for s in snapshots.open_snapshots()] == ["run-3"]
    history = snapshots.history(REF.key, _at(1))  # the first was taken before, but closed after
    assert [(s.run_id, _utc(s.closed_at)) for s in history] == [("run-1", _at(6)), ("run-3", None)]
    assert [s.run_id for s in snapshots.history(REF.key, _at(7))] == ["run-3"]


def test_open_snapshots_are_listed_per_account(snapshots):
    snapshots.take(Snapshot(REF, {}, "run-1", T0))
    snapshots.take(Snapshot(OTHER, {}, "run-1", T0))
    assert [s.ref for s in snapshots.open_snapshots(REF.account)] == [REF]
    assert [s.ref for s in snapshots.open_snapshots()] == [REF, OTHER]
