"""The CLI end to end: Typer's CliRunner in-process, plus real subprocesses for exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costzero.infrastructure.demo_seed import seed_region
from costzero.presentation import cli

COSTZERO = str(Path(sys.executable).parent / "costzero")


@pytest.fixture
def env(moto_server, tmp_path, monkeypatch):
    moto_server.reset()
    seed_region(moto_server.endpoint_url, "us-east-1")
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("COSTZERO_")]:
        monkeypatch.delenv(name)
    values = {
        "COSTZERO_ENDPOINT_URL": moto_server.endpoint_url,
        "COSTZERO_DATABASE_URL": f"sqlite:///{tmp_path / 'runs.db'}",
        "COSTZERO_REGIONS": '["us-east-1"]',
        "COSTZERO_WAIT__FIRST_DELAY": "0.1",
        "COSTZERO_WAIT__MAX_DELAY": "0.5",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, **values}


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli.app, list(args), input=input)


def run(env, *args: str, input: str = ""):
    return subprocess.run(
        [COSTZERO, *args], env=env, input=input, capture_output=True, text=True, timeout=120
    )


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and "costzero" in result.output


def test_plan_destroy_lists_what_would_go_as_json(env):
    result = invoke("plan", "destroy", "--output", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    tasks = {t["task"].split("@")[0]: len(t["resources"]) for s in plan["stages"] for t in s["tasks"]}
    assert tasks["ec2:instance"] == 4 and tasks["s3:bucket"] == 1
    assert plan["stages"][0]["stage"] == 1


def test_dry_run_then_history_as_json_and_csv(env):
    result = invoke("destroy", "--service", "ec2", "--exclude-tag", "team=demo")
    assert result.exit_code == 0, result.output
    assert "would delete" in result.output
    listed = invoke("runs", "list", "--output", "json")
    [run_info] = json.loads(listed.output)["runs"]
    assert run_info["dry_run"] is True and run_info["status"] == "dry-run"
    shown = invoke("runs", "show", run_info["id"][:5], "--output", "csv")
    lines = shown.output.strip().splitlines()
    assert lines[0] == "at,task_key,resource_id,action,outcome,message"
    assert any(",kept," in line for line in lines)  # team=demo resources are kept
    full = json.loads(invoke("runs", "show", run_info["id"], "--output", "json").output)
    assert full["id"] == run_info["id"]


def test_a_real_destroy_needs_the_typed_account(env):
    refused = run(env, "destroy", "--type", "ec2:key-pair", "--no-dry-run", input="wrong\n")
    assert refused.returncode == 3
    assert refused.stderr.strip().startswith("refused:")
    still = json.loads(run(env, "plan", "destroy", "--type", "ec2:key-pair", "-o", "json").stdout)
    assert still["targets"] == 2
    account = still["account"]
    done = run(env, "destroy", "--type", "ec2:key-pair", "--no-dry-run", "--no-live", input=f"{account}\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        json.loads(run(env, "plan", "destroy", "--type", "ec2:key-pair", "-o", "json").stdout)["targets"] == 0
    )


def test_yes_needs_an_allow_listed_account(env):
    refused = run(env, "destroy", "--type", "ec2:key-pair", "--no-dry-run", "--yes")
    assert refused.returncode == 3 and "allow-list" in refused.stderr
    account = json.loads(run(env, "plan", "destroy", "--type", "ec2:key-pair", "-o", "json").stdout)[
        "account"
    ]
    done = run(env, "destroy", "--type", "ec2:key-pair", "--no-dry-run", "--yes", "--account", account)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("args", "config", "message"),
    [
        (["plan", "destroy", "--region", "moon-1"], None, "unknown region 'moon-1'"),
        (["plan", "destroy", "--service", "ec3"], None, "unknown service 'ec3'"),
        (["plan", "destroy", "--type", "ec2:volumes"], None, "unknown resource type 'ec2:volumes'"),
        (["plan", "destroy", "--exclude-tag", "=x"], None, "tag"),
        (["plan", "destroy"], "regions: [us-east-1\n  bad: : yaml", "invalid YAML"),
        (["plan", "destroy"], "colour: blue\n", "colour"),
        (["plan", "destroy", "--output", "xml"], None, "unknown output"),
        (["graph", "--format", "png"], None, "unknown graph format"),
        (["runs", "show", "nope"], None, "nope"),
        (["plan", "destroy", "--config", "missing.yaml"], None, "not found"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(env, tmp_path, args, config, message):
    if config is not None:
        (tmp_path / "costzero.yaml").write_text(config)
    result = run(env, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_endpoint_is_bad_input(env):
    env = {**env, "COSTZERO_ENDPOINT_URL": "http://127.0.0.1:9", "COSTZERO_RETRIES__MAX_ATTEMPTS": "1"}
    result = run(env, "plan", "destroy")
    assert result.returncode == 2
    assert "cannot reach the AWS endpoint" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_registry_cycle_is_bad_input(env, monkeypatch):
    from dependency_injector import providers

    from costzero.domain.registry import ResourceRegistry
    from costzero.domain.resources import ResourceTypeSpec
    from costzero.presentation.sdk import CostZero

    def cyclic_sdk(config, **overrides):
        sdk = CostZero(config, **overrides)
        sdk._container.registry.override(
            providers.Callable(
                lambda: ResourceRegistry(
                    [ResourceTypeSpec("a:x", requires=("b:y",)), ResourceTypeSpec("b:y", requires=("a:x",))]
                )
            )
        )
        return sdk

    monkeypatch.setattr(cli, "_sdk", cyclic_sdk)
    result = invoke("graph")
    assert result.exit_code == 2
    assert "registry cycle" in result.output


def test_graph_formats(env):
    assert "ec2:volume" in invoke("graph").output
    assert invoke("graph", "-f", "mermaid").output.startswith("graph LR")
    dot = invoke("graph", "-f", "dot").output
    assert '"ec2:instance" -> "ec2:volume";' in dot
