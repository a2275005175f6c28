"""A real destroy stopped by SIGINT, SIGTERM or SIGKILL at some point, then finished: 0 left.

The `costzero` executable against the moto server with request latency; the signal is sent a
given time after the run has started (its first task is recorded), so that it lands among the
first calls, between tasks, or later in the run, whatever the machine's speed. Checks go through
the SDK in-process, on the same run store; only the run and its resume are subprocesses.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from costzero.infrastructure.demo_seed import seed_region
from costzero.presentation.sdk import CostZero

COSTZERO = str(Path(sys.executable).parent / "costzero")
REGION = "eu-west-1"


def started_run(database: Path, process: subprocess.Popen[str]) -> bool:
    """Wait until the process has recorded its run's first task (False if it ended first)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if database.exists():
            with contextlib.closing(sqlite3.connect(database)) as db:
                try:
                    if db.execute("select count(*) from tasks").fetchone()[0]:
                        return True
                except sqlite3.OperationalError:
                    pass  # not migrated yet
        time.sleep(0.02)
    return False


@pytest.fixture
def sdk(moto_server, tmp_path):
    moto_server.reset()
    seed_region(moto_server.endpoint_url, REGION, scale=2)
    moto_server.set_latency(0.02)
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
    ) as client:
        yield client
    moto_server.set_latency(0.0)


def costzero(sdk: CostZero, *args: str) -> subprocess.Popen[str]:
    settings = sdk.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("COSTZERO_")}
    env.update(
        COSTZERO_ENDPOINT_URL=str(settings.endpoint_url),
        COSTZERO_DATABASE_URL=str(settings.database_url),
        COSTZERO_REGIONS=f'["{REGION}"]',
        COSTZERO_WAIT__FIRST_DELAY="0.05",
        COSTZERO_WAIT__MAX_DELAY="0.2",
    )
    return subprocess.Popen(
        [COSTZERO, *args, "--yes", "--no-live"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(
    ("signum", "delay"),
    [(signal.SIGINT, 0.0), (signal.SIGTERM, 0.3), (signal.SIGKILL, 0.6)],
)
def test_an_interrupted_destroy_is_finished_by_runs_resume(sdk, tmp_path, signum, delay):
    account = sdk.whoami()
    assert len(sdk.plan().targets) > 0
    process = costzero(sdk, "destroy", "--no-dry-run", "--account", account)
    assert started_run(tmp_path / "runs.db", process), process.communicate()
    time.sleep(delay)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=300)
    [run] = sdk.runs()
    if signum is signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:  # stopped gracefully: no new calls, the calls in flight finished, and it says how to go on
        assert process.returncode == 130, stderr
        assert f"costzero runs resume {run['id']}" in stderr
    assert run["status"] == "interrupted"  # never "running" once its process is gone

    resumed = costzero(sdk, "runs", "resume", run["id"])
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, out + err
    assert sdk.plan().targets == []
    assert [r["status"] for r in sdk.runs()] == ["succeeded", "interrupted"]
