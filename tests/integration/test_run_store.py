"""The SQLAlchemy run store on a real SQLite file, and the fake held to the same behaviour."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest

from costzero.domain.errors import BadInputError
from costzero.infrastructure.persistence.repository import SqlAlchemyRunRepository
from tests.fakes.run_repository import FakeRunRepository

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


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
    for state in ("running", "waiting", "succeeded"):
        repository.record_task("20260501-aaaa", "ec2:volume@1/us-east-1", state, T0, "")
    repository.record_action("20260501-aaaa", "ec2:volume@1/us-east-1", "vol-1", "delete", "pending", T0, "")
    repository.record_action("20260501-aaaa", "ec2:volume@1/us-east-1", "vol-1", "delete", "done", T0, "ok")
    repository.finish_run("20260501-aaaa", "succeeded", T0 + timedelta(minutes=3), {"outcomes": {"done": 1}})

    runs = repository.list_runs()
    assert [r["id"] for r in runs] == ["20260502-bbbb", "20260501-aaaa"]  # newest first
    run = repository.get_run("20260501")
    assert run["status"] == "succeeded" and run["params"] == {"regions": ["us-east-1"]}
    assert run["summary"] == {"outcomes": {"done": 1}}
    assert [t["state"] for t in run["tasks"]] == ["running", "waiting", "succeeded"]
    assert [a["outcome"] for a in run["actions"]] == ["pending", "done"]
    assert run["started_at"].startswith("2026-05-01T12:00:00")


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
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("0002",)]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"runs", "tasks", "resource_actions"} <= tables


def test_concurrent_writers_all_land(database):
    store = SqlAlchemyRunRepository(f"sqlite:///{database}")
    store.migrate()
    store.add_run("r", "destroy", False, T0, {})

    def write(worker: int) -> None:
        for n in range(100):
            store.record_action("r", f"t{worker}", f"res-{n}", "delete", "done", T0, "")

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
