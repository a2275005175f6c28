"""What the CLI prints: one document on stdout, human lines on stderr, and one-line errors (CliRunner)."""

from __future__ import annotations

import csv
import io
import json
import re

import boto3
import pytest

from costzero.infrastructure.demo_seed import seed_alarms, seed_region
from costzero.presentation import output
from costzero.presentation.sdk import CostZero
from tests.e2e.running import account_of, invoke


def document(*args: str):
    result = invoke(*args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout), result


def rows(*args: str) -> list[dict[str, str]]:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_every_command_prints_exactly_one_json_document(blank):
    seed_region(blank["COSTZERO_ENDPOINT_URL"], "us-east-1")
    account = account_of(blank)
    plan, _ = document("plan", "destroy", "-o", "json")
    assert plan["targets"] > 0 and plan["real_run_refused"] is None

    dry, shown = document("destroy", "-o", "json")
    assert set(dry) == {"plan", "result"} and dry["result"]["dry_run"] is True
    assert {r["outcome"] for r in dry["result"]["resources"]} >= {"would-delete"}
    assert "would delete" in shown.stderr  # the human summary went to stderr

    real, _ = document(
        "destroy", "-t", "ec2:key-pair", "--no-dry-run", "--yes", "--account", account, "-o", "json"
    )
    assert real["result"]["run_id"] and real["result"]["ok"] is True
    assert real["result"]["task_states"] == {f"ec2:key-pair@{account}/us-east-1": "succeeded"}
    assert [r["outcome"] for r in real["result"]["resources"]] == ["done", "done"]

    stop, _ = document(
        "stop", "-t", "ec2:instance", "--no-dry-run", "--yes", "--account", account, "-o", "json"
    )
    assert stop["plan"]["action"] == "stop" and len(stop["result"]["resources"]) == 4
    assert {r["outcome"] for r in stop["result"]["resources"]} == {"parked"}
    start, _ = document("start", "-t", "ec2:instance", "--no-dry-run", "-o", "json")
    assert {r["outcome"] for r in start["result"]["resources"]} == {"restored"}

    status, _ = document("status", "-t", "ec2:instance", "-o", "json")
    assert len(status) == 4 and {row["state"] for row in status} == {"running"}
    runs, _ = document("runs", "list", "-o", "json")
    assert len(runs["runs"]) == 4 and runs["runs"][0]["account"] == account
    run, _ = document("runs", "show", real["result"]["run_id"], "-o", "json")
    assert run["id"] == real["result"]["run_id"]
    graph, _ = document("graph", "-o", "json")
    assert {"first": "ec2:instance", "then": "ec2:volume"} in graph["edges"]
    types, _ = document("types", "-o", "json")
    assert len(types["types"]) == len(CostZero().registry)


def test_csv_wherever_there_are_rows(demo_account):
    account = account_of(demo_account)
    planned = rows("plan", "destroy", "-o", "csv")
    assert {r["type"] for r in planned} >= {"ec2:instance", "s3:bucket"}
    done = rows("destroy", "-t", "ec2:key-pair", "-o", "csv")
    assert [r["outcome"] for r in done] == ["would-delete", "would-delete"]
    assert {r["type"] for r in rows("status", "-o", "csv")} >= {"ec2:instance"}
    [run] = rows("runs", "list", "-o", "csv")
    assert run["account"] == account and run["summary"] == "would-delete 2"
    types = {r["type"]: r for r in rows("types", "-o", "csv")}
    assert types["cloudwatch:alarm"]["actions"] == "start stop"
    assert types["ec2:volume"]["requires"] == "ec2:instance"


def test_max_resources_is_reported_by_plans_and_dry_runs_and_refuses_only_real_runs(demo_account):
    account = account_of(demo_account)
    plan = invoke("plan", "destroy", "-t", "ec2:key-pair", "--max-resources", "1", "-o", "json")
    assert plan.exit_code == 0 and "a real run would be refused: 2 resources" in plan.stderr
    assert "max_resources=1" in json.loads(plan.stdout)["real_run_refused"]
    dry = invoke("destroy", "-t", "ec2:key-pair", "--max-resources", "1")
    assert dry.exit_code == 0 and "a real run would be refused" in dry.stderr
    parked = invoke("stop", "-t", "ec2:instance", "--max-resources", "3", "-o", "json")
    assert parked.exit_code == 0 and json.loads(parked.stdout)["plan"]["real_run_refused"]
    real = invoke(
        "destroy", "-t", "ec2:key-pair", "--max-resources", "1", "--no-dry-run", "--yes", "--account", account
    )
    assert real.exit_code == 3 and real.stderr.startswith("refused: 2 resources")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["destroy", "--type", "cloudwatch:alarm"],
            "cloudwatch:alarm cannot be deleted: it supports only start, stop",
        ),
        (
            ["plan", "destroy", "--service", "cloudwatch"],
            "service 'cloudwatch' has no type that can be deleted (cloudwatch:alarm: start, stop)",
        ),
        (["stop", "--type", "ec2:volume"], "ec2:volume cannot be stopped: it supports only delete"),
    ],
)
def test_a_type_without_the_action_is_refused_with_the_reason(cli_env, args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"error: {message}"]


def test_types_lists_every_registered_type_as_a_table(cli_env):
    result = invoke("types")
    assert result.exit_code == 0
    keys = [spec.key for spec in CostZero().registry]
    assert keys and [key for key in keys if key not in result.stdout] == []
    assert "no (kept under a tag filter)" not in result.stdout  # every type's tags are read


def test_status_shows_ids_beside_names_and_runs_list_a_readable_summary(demo_account, monkeypatch):
    monkeypatch.setattr(output.out, "width", 160)  # a terminal, not CliRunner's 80 columns
    status = invoke("status", "-t", "ec2:instance")
    ec2 = boto3.client("ec2", endpoint_url=demo_account["COSTZERO_ENDPOINT_URL"], region_name="us-east-1")
    ids = [i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    assert ids and all(i in status.stdout for i in ids) and "demo-web" in status.stdout
    invoke("destroy", "-s", "ec2", "--exclude-tag", "team=demo")
    listed = invoke("runs", "list").stdout
    [line] = [line for line in listed.splitlines() if "destroy" in line]
    assert "would-delete 8, kept 10, blocked 5" in line and "123456789012" in line and "us-east-1" in line
    assert re.search(r"\d+\.\ds", line)  # how long it took


@pytest.mark.parametrize(
    "args",
    [["-h"], ["destroy", "-h"], ["plan", "destroy", "-h"], ["runs", "list", "-h"], ["state", "export", "-h"]],
)
def test_h_is_help_everywhere(args):
    result = invoke(*args)
    assert result.exit_code == 0 and "Usage: costzero" in result.stdout


def test_shell_completion_is_installable():
    assert "--install-completion" in invoke("--help").stdout
    script = invoke("--show-completion", "bash")
    assert script.exit_code == 0
    assert "complete" in script.stdout and "_COSTZERO_COMPLETE" in script.stdout


def test_profile_flag_reaches_the_session(cli_env):
    result = invoke("plan", "destroy", "--profile", "no-such-profile")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "error: unknown AWS profile 'no-such-profile' (from AWS_PROFILE or --profile)"
    )


@pytest.mark.parametrize(
    ("variables", "args", "message"),
    [
        ({"AWS_PROFILE": "nope"}, ["status"], "unknown AWS profile 'nope'"),
        ({"COSTZERO_REGION": "eu-west-1"}, ["plan", "destroy"], "unknown setting COSTZERO_REGION"),
        ({}, ["state", "export", "/nonexistent/dir/x.json"], "cannot write /nonexistent/dir/x.json"),
    ],
)
def test_bad_environment_and_paths_are_one_line_and_exit_2(cli_env, monkeypatch, variables, args, message):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_stop_with_exclude_tag_keeps_a_tagged_alarm_and_parks_an_untagged_one(blank):
    seed_alarms(blank["COSTZERO_ENDPOINT_URL"], "us-east-1", count=2)
    account = account_of(blank)
    cloudwatch = boto3.client(
        "cloudwatch", endpoint_url=blank["COSTZERO_ENDPOINT_URL"], region_name="us-east-1"
    )
    arn = cloudwatch.describe_alarms(AlarmNames=["demo-cpu-high-0"])["MetricAlarms"][0]["AlarmArn"]
    cloudwatch.tag_resource(ResourceARN=arn, Tags=[{"Key": "keep", "Value": "true"}])
    args = [
        "-t",
        "cloudwatch:alarm",
        "--exclude-tag",
        "keep=true",
        "--no-dry-run",
        "--yes",
        "--account",
        account,
    ]
    result = invoke("stop", *args, "-o", "json")
    assert result.exit_code == 0, result.output
    outcomes = {r["resource"]: r["outcome"] for r in json.loads(result.stdout)["result"]["resources"]}
    assert outcomes == {"demo-cpu-high-0": "kept", "demo-cpu-high-1": "parked"}
    enabled = {a["AlarmName"]: a["ActionsEnabled"] for a in cloudwatch.describe_alarms()["MetricAlarms"]}
    assert enabled == {"demo-cpu-high-0": True, "demo-cpu-high-1": False}


def _state(entries: dict[str, list[dict]]) -> str:
    return json.dumps({"version": "1.0", "timestamp": "2024-01-01T00:00:00", "resources": entries})


def _entry(resource_id: str, settings: dict) -> dict:
    return {
        "id": resource_id,
        "account": "123456789012",
        "region": "us-east-1",
        "settings": settings,
        "run_id": "r1",
        "taken_at": "2024-01-01T00:00:00",
        "step": "verified",
    }


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            {"ec2:volume": [_entry("vol-1", {"state": "running"})]},
            "ec2:volume vol-1: ec2:volume is not a type",
        ),
        ({"ecs:service": [_entry("svc", {})]}, "ecs:service svc: settings lack the field 'desired'"),
        ({"ecs:service": [_entry("svc", {"desired": "3"})]}, "ecs:service svc: settings field 'desired'"),
        ({"cloudwatch:alarm": [_entry("a", {"actions_enabled": True, "x": 1})]}, "unknown field 'x'"),
    ],
)
def test_state_import_checks_every_entry_against_its_types_schema(cli_env, tmp_path, entries, message):
    good = {"cloudwatch:alarm": [_entry("fine", {"actions_enabled": True})]}
    (tmp_path / "state.json").write_text(_state({**good, **entries}))
    result = invoke("state", "import", "state.json")
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: state file: ") and message in line
    assert json.loads(invoke("state", "export", "-").stdout)["resources"] == {}  # nothing imported
    (tmp_path / "good.json").write_text(_state(good))
    assert invoke("state", "import", "good.json").exit_code == 0
    assert len(json.loads(invoke("state", "export", "-").stdout)["resources"]["cloudwatch:alarm"]) == 1
