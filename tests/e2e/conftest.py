"""e2e fixtures: the CLI's environment, a blank account, and one seeded account shared by readers.

- `cli_env`: COSTZERO_* aimed at this worker's moto server and a fresh run store in tmp_path (also
  the working directory); it neither resets nor seeds. Enough for bad input, which fails before any
  call, and for commands that read nothing from AWS. A test on `cli_env` alone changes nothing on
  the server (it may run beside the shared seed); to change it, ask for `blank`.
- `blank`: `cli_env` on an emptied server, for tests that seed what they change.
- `demo_account`: `cli_env` on a server holding `seed_region(us-east-1)`, seeded once and shared by
  every test that only reads it (plans, dry runs, status, run history, output formats). Such a test
  must change nothing in the account; its runs go to its own run store.

The CLI runs in-process (`running.invoke`, Typer's CliRunner); `running.costzero_process` runs
the installed executable, only where the process boundary is the point: signals, crashes, the
real executable's exit codes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from costzero.infrastructure.demo_seed import seed_region
from tests.conftest import SharedMotoServer

DEMO = "demo:us-east-1"


@pytest.fixture
def cli_env(moto_server: SharedMotoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of the CLI, set in this process too; returns it whole, for subprocesses."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("COSTZERO_")]:
        monkeypatch.delenv(name)
    values = {
        "COSTZERO_ENDPOINT_URL": moto_server.endpoint_url,
        "COSTZERO_DATABASE_URL": f"sqlite:///{tmp_path / 'runs.db'}",
        "COSTZERO_REGIONS": '["us-east-1"]',
        "COSTZERO_WAIT__FIRST_DELAY": "0.05",
        "COSTZERO_WAIT__MAX_DELAY": "0.2",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),  # price and Cost Explorer caches: never the user's
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return dict(os.environ)


@pytest.fixture
def blank(moto_server: SharedMotoServer, cli_env: dict[str, str]) -> dict[str, str]:
    moto_server.reset()
    return cli_env


@pytest.fixture
def demo_account(moto_server: SharedMotoServer, cli_env: dict[str, str]) -> dict[str, str]:
    if moto_server.holds != DEMO:
        moto_server.reset()
        seed_region(moto_server.endpoint_url, "us-east-1")
        moto_server.holds = DEMO
    return cli_env
