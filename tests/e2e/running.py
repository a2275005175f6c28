"""Running the CLI in e2e tests: in-process (`invoke`) or as the installed executable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import boto3
from click.testing import Result
from typer.testing import CliRunner

from costzero.presentation import cli

COSTZERO = str(Path(sys.executable).parent / "costzero")


def account_of(env: dict[str, str]) -> str:
    sts = boto3.client("sts", endpoint_url=env["COSTZERO_ENDPOINT_URL"], region_name="us-east-1")
    return str(sts.get_caller_identity()["Account"])


def invoke(*args: str, input: str | None = None) -> Result:
    """The CLI in this process, stdout and stderr apart."""
    return CliRunner().invoke(cli.app, list(args), input=input, prog_name="costzero")


def costzero_process(
    env: dict[str, str], *args: str, input: str = "", extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed `costzero` executable, run to its end."""
    return subprocess.run(
        [COSTZERO, *args],
        env={**env, **(extra or {})},
        input=input,
        capture_output=True,
        text=True,
        timeout=180,
    )
