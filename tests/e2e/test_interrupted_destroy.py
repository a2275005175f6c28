"""A real destroy stopped by SIGINT, SIGTERM or SIGKILL at some point, then finished: 0 left.

The `costzero` executable against the moto server with request latency; the signal is sent a
given time after the run has started (its record appears), so that it lands among the first
calls, between tasks, or late in the run, whatever the machine's speed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from costzero.infrastructure.demo_seed import seed_region

COSTZERO = str(Path(sys.executable).parent / "costzero")
REGIONS = ("us-east-1", "eu-west-1")


def started_run(database: Path, process: subprocess.Popen[str]) -> bool:
    """Wait until the process has recorded its run (False if it ended first)."""
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
def env(moto_server, tmp_path):
    moto_server.reset()
    for region in REGIONS:
        seed_region(moto_server.endpoint_url, region)
    moto_server.set_latency(0.03)
    values = {
        "COSTZERO_ENDPOINT_URL": moto_server.endpoint_url,
        "COSTZERO_DATABASE_URL": f"sqlite:///{tmp_path / 'runs.db'}",
        "COSTZERO_REGIONS": json.dumps(list(REGIONS)),
        "COSTZERO_WAIT__FIRST_DELAY": "0.05",
        "COSTZERO_WAIT__MAX_DELAY": "0.2",
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith("COSTZERO_")}
    yield {**base, **values}
    moto_server.set_latency(0.0)


def costzero(env, *args):
    return subprocess.run([COSTZERO, *args], env=env, capture_output=True, text=True, timeout=300)


def targets(env) -> int:
    return int(json.loads(costzero(env, "plan", "destroy", "-o", "json").stdout)["targets"])


@pytest.mark.parametrize(
    ("signum", "delay"),
    [(signal.SIGINT, 0.0), (signal.SIGTERM, 0.4), (signal.SIGKILL, 0.7)],
)
def test_an_interrupted_destroy_is_finished_by_runs_resume(env, tmp_path, signum, delay):
    account = json.loads(costzero(env, "plan", "destroy", "--type", "ec2:key-pair", "-o", "json").stdout)[
        "account"
    ]
    assert targets(env) > 0
    process = subprocess.Popen(
        [COSTZERO, "destroy", "--no-dry-run", "--yes", "--account", account, "--no-live"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert started_run(tmp_path / "runs.db", process), process.communicate()
    time.sleep(delay)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=300)
    runs = json.loads(costzero(env, "runs", "list", "-o", "json").stdout)["runs"]
    if signum is signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:  # stopped gracefully: no new calls, the calls in flight finished, and it says how to go on
        assert process.returncode == 130, stderr
        assert f"costzero runs resume {runs[0]['id']}" in stderr
    [run] = runs
    assert run["status"] == "interrupted"  # never "running" once its process is gone
    resumed = costzero(env, "runs", "resume", run["id"], "--yes", "--no-live")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert targets(env) == 0
    again = costzero(env, "destroy", "--no-dry-run", "--yes", "--account", account, "--no-live")
    assert again.returncode == 0 and targets(env) == 0
