"""Run-history benchmark: `make bench` (python -m benchmarks.recording).

10,000 resource events of one run written to a SQLite file, once as one transaction per event (how
the run store was written before batching) and once through RunRecorder's batches, in the same
run. Reports commits and wall time of each, and their ratio.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event

from benchmarks.common import save_results
from costzero.application.recorder import RunRecorder
from costzero.domain.events import EventKind, RunEvent
from costzero.infrastructure.clock import SystemClock
from costzero.infrastructure.persistence.repository import SqlAlchemyRunRepository

EVENTS = 10_000
T0 = datetime(2026, 12, 1, tzinfo=UTC)


def _events(run_id: str) -> list[RunEvent]:
    return [
        RunEvent(
            EventKind.RESOURCE,
            run_id,
            T0,
            task_key=f"ec2:volume@1/r{n % 4}",
            resource_id=f"vol-{n:05d}",
            action="delete",
            state="done",
        )
        for n in range(EVENTS)
    ]


def _store(path: Path) -> tuple[SqlAlchemyRunRepository, list[int]]:
    store = SqlAlchemyRunRepository(f"sqlite:///{path}")
    store.migrate()
    commits: list[int] = []
    event.listen(store._db.engine, "commit", lambda conn: commits.append(1))
    return store, commits


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        store, commits = _store(Path(tmp) / "each.db")
        store.add_run("each", "destroy", False, T0, {})
        commits.clear()
        started = time.perf_counter()
        for one in _events("each"):
            store.record_events([one])
        results["one commit per event"] = {"seconds": time.perf_counter() - started, "commits": len(commits)}
        store.close()

        store, commits = _store(Path(tmp) / "batched.db")
        store.add_run("batched", "destroy", False, T0, {})
        commits.clear()
        started = time.perf_counter()
        recorder = RunRecorder(store, SystemClock())
        for one in _events("batched"):
            recorder(one)
        recorder.close()
        results["RunRecorder batches"] = {"seconds": time.perf_counter() - started, "commits": len(commits)}
        assert len(store.get_run("batched")["actions"]) == EVENTS
        store.close()
    each, batched = results["one commit per event"], results["RunRecorder batches"]
    print(f"run history: {EVENTS} resource events into SQLite")
    for name, figures in results.items():
        print(f"  {name:22} {figures['seconds']:7.2f} s  {figures['commits']:6d} commits")
    speedup = each["seconds"] / batched["seconds"]
    fewer = each["commits"] / batched["commits"]
    print(f"  batched is {speedup:.1f}x faster, with {fewer:.0f}x fewer commits")
    save_results("recording", {**results, "speedup": speedup})


if __name__ == "__main__":
    main()
