"""The SQLAlchemy run store on a real SQLite file, and the fake held to the same behaviour."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import event

from costzero.application.recorder import BATCH_EVENTS, RunRecorder
from costzero.domain.errors import BadInputError, SnapshotExistsError
from costzero.domain.events import EventKind, RunEvent
from costzero.domain.parking import ParkRef, Snapshot
from costzero.infrastructure.persistence.database import MIGRATIONS, Database
from costzero.infrastructure.persistence.repository import SqlAlchemyRunRepository
from costzero.infrastructure.persistence.snapshots import SqlAlchemySnapshotRepository
from tests.fakes.clock import FakeClock
from tests.fakes.run_repository import FakeRunRepository

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def task_event(run_id: str, task_key: str, state: str, at: datetime, reason: str = "") -> RunEvent:
    return RunEvent(EventKind.TASK, run_id, at, task_key=task_key, state=state, message=reason)


def action_event(
    run_id: str, task_key: str, resource_id: str, outcome: str, at: datetime, message: str = ""
) -> RunEvent:
    return RunEvent(
        EventKind.RESOURCE,
        run_id,
        at,
        task_key=task_key,
        resource_id=resource_id,
        action="delete",
        state=outcome,
        message=message,
    )


@pytest.fixture
def database(tmp_path):
    return tmp_path / "deep" / "runs.db"


@pytest.fixture(params=["sqlalchemy", "fake"])
def repository(request, database):
    if request.param == "fake":
        yield FakeRunRepository()
        return
    store = SqlAlchemyRunRepository(f"sqlite:///{database}")
    store.migrate()
    yield store
    store.close()


def test_a_run_round_trip(repository):
    repository.add_run("20260501-aaaa", "destroy", False, T0, {"regions": ["us-east-1"]})
    repository.add_run("20260502-bbbb", "destroy", True, T0 + timedelta(days=1), {})
    task = "ec2:volume@1/us-east-1"
    repository.record_events(
        [task_event("20260501-aaaa", task, state, T0) for state in ("running", "waiting", "succeeded")]
    )
    repository.record_events(
        [
            action_event("20260501-aaaa", task, "vol-1", "pending", T0),
            action_event("20260501-aaaa", task, "vol-1", "done", T0, "ok"),
        ]
    )
    repository.finish_run("20260501-aaaa", "succeeded", T0 + timedelta(minutes=3), {"outcomes": {"done": 1}})

    runs = repository.list_runs()
    assert [r["id"] for r in runs] == ["20260502-bbbb", "20260501-aaaa"]  # newest first
    run = repository.get_run("20260501")
    assert run["status"] == "succeeded" and run["params"] == {"regions": ["us-east-1"]}
    assert run["summary"] == {"outcomes": {"done": 1}}
    assert [t["state"] for t in run["tasks"]] == ["running", "waiting", "succeeded"]
    assert [a["outcome"] for a in run["actions"]] == ["pending", "done"]
    assert run["started_at"].startswith("2026-05-01T12:00:00")
    # many at once, exact ids only, each whole: what `get_run` gives
    many = repository.get_runs(["20260502-bbbb", "20260501-aaaa", "20260501", "nope"])
    assert sorted(many, key=lambda r: r["id"]) == [run, repository.get_run("20260502-bbbb")]


def test_many_runs_are_read_in_a_few_queries(database):
    repository = SqlAlchemyRunRepository(f"sqlite:///{database}")
    repository.migrate()
    ids = [f"run-{n:04d}" for n in range(1200)]
    for run_id in ids:
        repository.add_run(run_id, "destroy", False, T0, {})
    statements = []
    event.listen(repository._db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert len(repository.get_runs(ids)) == 1200
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 + 3 * 4  # dead-run check, then per chunk of 500: runs, costs, tasks, actions


def test_unknown_or_ambiguous_prefixes_are_bad_input(repository):
    repository.add_run("abc-1", "destroy", True, T0, {})
    repository.add_run("abc-2", "destroy", True, T0, {})
    with pytest.raises(BadInputError, match="no run matches 'zzz'"):
        repository.get_run("zzz")
    with pytest.raises(BadInputError, match="2 runs match 'abc'"):
        repository.get_run("abc")


def test_the_schema_comes_from_alembic_and_sqlite_runs_in_wal_mode(database):
    store = SqlAlchemyRunRepository(f"sqlite:///{database}")
    store.migrate()
    store.migrate()  # a second migrate is a no-op
    store.add_run("r", "destroy", True, T0, {})
    store.close()
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("0005",)]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "tasks", "resource_actions"} <= tables


def test_a_store_from_before_tags_keeps_its_open_snapshots_when_migrated(database):
    db = Database(f"sqlite:///{database}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO park_snapshots (ref_key, type_key, account, region, resource_id, settings, run_id,"
            " taken_at, step, updated_at, message) VALUES ('ec2:instance@1/us-east-1/i-1', 'ec2:instance',"
            " '1', 'us-east-1', 'i-1', '{\"state\": \"running\"}', 'r0', '2026-05-01 12:00:00',"
            " 'verified', '2026-05-01 12:00:00', '')"
        )
    db.migrate()
    snapshots = SqlAlchemySnapshotRepository(db)
    [old] = snapshots.open_snapshots()
    assert (old.ref.resource_id, dict(old.settings), old.tags) == ("i-1", {"state": "running"}, None)
    with pytest.raises(SnapshotExistsError):  # the one-open-snapshot index survived the migration
        snapshots.take(Snapshot(old.ref, {"state": "stopped"}, "r1", T0))
    tagged = Snapshot(ParkRef("ec2:instance", "1", "us-east-1", "i-2"), {}, "r1", T0, tags={"team": "a"})
    snapshots.take(tagged)
    assert snapshots.find(tagged.ref.key).tags == {"team": "a"}
    db.close()


def test_concurrent_writers_all_land(database):
    store = SqlAlchemyRunRepository(f"sqlite:///{database}")
    store.migrate()
    store.add_run("r", "destroy", False, T0, {})

    def write(worker: int) -> None:
        for n in range(100):
            store.record_events([action_event("r", f"t{worker}", f"res-{n}", "done", T0)])

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.get_run("r")["actions"]) == 800
    store.close()


def test_an_unusable_database_url_is_bad_input(tmp_path):
    with pytest.raises(BadInputError, match="cannot use database"):
        SqlAlchemyRunRepository("nosuchdialect://x").migrate()


def test_a_run_whose_process_died_is_listed_as_interrupted(database):
    import socket
    import subprocess
    import sys

    from costzero.infrastructure.persistence.models import RunRow

    store = SqlAlchemyRunRepository(f"sqlite:///{database}")
    store.migrate()
    now = datetime.now(UTC)
    store.add_run("mine", "destroy", False, now, {})  # this process: alive
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    store.add_run("killed", "destroy", False, now, {})
    store.add_run("elsewhere", "stop", False, now - timedelta(hours=2), {})
    store.add_run("elsewhere-alive", "stop", False, now, {})
    db = Database(f"sqlite:///{database}")
    with db.write() as session:
        session.get(RunRow, "killed").owner = f"{socket.gethostname()}:{dead.stdout.strip()}"
        session.get(RunRow, "elsewhere").owner = "another-host:1"
        session.get(RunRow, "elsewhere-alive").owner = "another-host:1"
    db.close()
    statuses = {r["id"]: r["status"] for r in store.list_runs()}
    assert statuses == {
        "mine": "running",
        "killed": "interrupted",
        "elsewhere": "interrupted",  # silent for longer than the heartbeat allows
        "elsewhere-alive": "running",
    }
    assert store.get_run("killed")["summary"] == {"detected": "its process is gone"}
    store.record_events([task_event("mine", "ec2:volume@1/r", "running", now + timedelta(seconds=5))])
    store.close()


def test_ten_thousand_resource_events_cost_a_few_commits_not_ten_thousand(database):
    """The recorder writes a run's events in batches: one transaction per BATCH_EVENTS events (or
    per second), the rest when the run ends. Counted on the engine, on a real SQLite file."""
    store = SqlAlchemyRunRepository(f"sqlite:///{database}")
    store.migrate()
    store.add_run("r", "destroy", False, T0, {})
    commits = []
    event.listen(store._db.engine, "commit", lambda conn: commits.append(1))
    clock = FakeClock()  # no time passes: only the batch size and the end of the run flush
    recorder = RunRecorder(store, clock)
    events = 10_000
    for n in range(events):
        recorder(action_event("r", f"t{n % 7}", f"res-{n}", "done", T0))
    recorder.close()
    assert len(store.get_run("r")["actions"]) == events  # none lost, none twice
    assert len(commits) == 1 + events // BATCH_EVENTS  # the first event alone, then full batches
    store.close()


def test_the_recorder_writes_at_least_once_a_second_while_events_come(database):
    runs = FakeRunRepository()
    runs.add_run("r", "destroy", False, T0, {})
    clock = FakeClock()
    recorder = RunRecorder(runs, clock)
    recorder(task_event("r", "t", "running", T0))
    assert runs.batches == [1]  # the first event at once: the run shows it has started
    recorder(action_event("r", "t", "a", "pending", T0))
    assert runs.batches == [1]  # buffered
    clock.advance(1.5)
    recorder(action_event("r", "t", "a", "done", T0))
    assert runs.batches == [1, 2]
    recorder(task_event("r", "t", "succeeded", T0))
    recorder.close()
    assert runs.batches == [1, 2, 1]
    assert [a["outcome"] for a in runs.get_run("r")["actions"]] == ["pending", "done"]


@pytest.mark.parametrize("kind", ["sqlite", "fake"])
def test_a_runs_costs_come_back_with_it(kind, tmp_path):
    from costzero.domain.costing import ResourceCost
    from costzero.domain.resources import Resource

    store = FakeRunRepository() if kind == "fake" else SqlAlchemyRunRepository(f"sqlite:///{tmp_path}/r.db")
    if kind == "sqlite":
        store.migrate()
    store.add_run("r1", "destroy", False, T0, {})
    volume = Resource("ec2:volume", "vol-1", "111122223333", "eu-west-1", name="data")
    store.record_costs("r1", [ResourceCost(volume, 0.0, 0.0011, (), "")])
    (row,) = store.get_run("r1")["costs"]
    assert row == {
        "type": "ec2:volume",
        "id": "vol-1",
        "name": "data",
        "account": "111122223333",
        "region": "eu-west-1",
        "usd_per_hour": 0.0011,
        "usd_per_month": 0.8,
        "compute_usd_per_hour": 0.0,
        "storage_usd_per_hour": 0.0011,
        "known": True,
    }
