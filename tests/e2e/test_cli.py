"""The CLI end to end: Typer's CliRunner in-process, plus the real executable for its exit codes."""

from __future__ import annotations

import json

import boto3
import pytest

from costzero.presentation import cli
from tests.e2e.running import account_of, costzero_process, invoke


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and "costzero" in result.output


def test_plan_destroy_lists_what_would_go_as_json(demo_account):
    result = invoke("plan", "destroy", "--output", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    tasks = {t["task"].split("@")[0]: len(t["resources"]) for s in plan["stages"] for t in s["tasks"]}
    assert tasks["ec2:instance"] == 4 and tasks["s3:bucket"] == 1
    assert plan["stages"][0]["stage"] == 1


def test_dry_run_then_history_as_json_and_csv(demo_account):
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


def seed_key_pairs(env: dict[str, str], count: int) -> None:
    ec2 = boto3.client("ec2", endpoint_url=env["COSTZERO_ENDPOINT_URL"], region_name="us-east-1")
    for n in range(count):
        ec2.create_key_pair(KeyName=f"key-{n}")


def targets(*args: str) -> dict:
    result = invoke("plan", "destroy", *args, "-o", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_executable_refuses_a_wrong_typed_account_with_3_and_destroys_after_the_right_one(blank):
    """The installed entry point, its stdin prompt and its exit codes; checks run in-process."""
    seed_key_pairs(blank, 2)
    refused = costzero_process(blank, "destroy", "--type", "ec2:key-pair", "--no-dry-run", input="wrong\n")
    assert refused.returncode == 3
    assert refused.stderr.strip().startswith("refused:")
    still = targets("--type", "ec2:key-pair")
    assert still["targets"] == 2
    done = costzero_process(
        blank, "destroy", "--type", "ec2:key-pair", "--no-dry-run", "--no-live", input=f"{still['account']}\n"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert targets("--type", "ec2:key-pair")["targets"] == 0


def test_the_executable_says_bad_input_in_one_line_and_exits_2(cli_env):
    result = costzero_process(cli_env, "plan", "destroy", "--region", "moon-1")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == ["error: unknown region 'moon-1'"]


def test_yes_needs_an_allow_listed_account(blank):
    seed_key_pairs(blank, 2)
    refused = invoke("destroy", "--type", "ec2:key-pair", "--no-dry-run", "--yes")
    assert refused.exit_code == 3 and "allow-list" in refused.stderr
    account = account_of(blank)
    done = invoke("destroy", "--type", "ec2:key-pair", "--no-dry-run", "--yes", "--account", account)
    assert done.exit_code == 0, done.output
    assert targets("--type", "ec2:key-pair")["targets"] == 0


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
def test_bad_input_is_one_line_and_exit_2(cli_env, tmp_path, args, config, message):
    if config is not None:
        (tmp_path / "costzero.yaml").write_text(config)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and message in line


def test_an_unreachable_endpoint_is_bad_input(cli_env, monkeypatch):
    monkeypatch.setenv("COSTZERO_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("COSTZERO_RETRIES__MAX_ATTEMPTS", "1")
    result = invoke("plan", "destroy")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "cannot reach the AWS endpoint" in line


def test_a_registry_cycle_is_bad_input(cli_env, monkeypatch):
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


def test_graph_formats(cli_env):
    assert "ec2:volume" in invoke("graph").output
    assert invoke("graph", "-f", "mermaid").output.startswith("graph LR")
    dot = invoke("graph", "-f", "dot").output
    assert '"ec2:instance" -> "ec2:volume";' in dot
