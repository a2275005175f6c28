"""stop / start / status / state through the CLI; the real `costzero` executable where it is killed
(COSTZERO_CRASH_AT ends it with SIGKILL at a checkpoint); what comes before and after runs in-process."""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

import boto3
import pytest

from tests.e2e.running import account_of, costzero_process, invoke
from tests.integration.park_fixtures import seed_alarm, seed_group, seed_instances

TYPES = ["--type", "ec2:instance", "--type", "autoscaling:group", "--type", "cloudwatch:alarm"]


@pytest.fixture
def seed(blank):
    """Plain boto3 clients on the emptied server."""
    return lambda service, region="us-east-1": boto3.client(
        service, region_name=region, endpoint_url=blank["COSTZERO_ENDPOINT_URL"]
    )


def ok(*args: str, input: str | None = None):
    result = invoke(*args, input=input)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


def settings() -> dict[str, dict]:
    """What a stop would do to each resource of TYPES (a dry run), keyed by type/id."""
    plan = json.loads(ok("stop", *TYPES, "-o", "json").stdout)["plan"]
    return {f"{r['type']}/{r['id']}": r for r in plan["resources"]}


def status(*args: str) -> list[dict]:
    return json.loads(ok("status", *(args or TYPES), "-o", "json").stdout)


def seed_mixed(seed, instances=20, groups=6, alarms=10):
    seed_instances(seed, instances)
    for n in range(groups):
        seed_group(seed, f"asg-{n}", n % 3, 1 + n % 3, 4 + n, ["AlarmNotification"] if n % 2 else [])
    for n in range(alarms):
        seed_alarm(seed, f"alarm-{n}", enabled=True)
    return instances + groups + alarms


def test_stop_asks_for_the_account_and_start_restores(seed, blank):
    seed_mixed(seed, instances=2, groups=1, alarms=1)
    refused = invoke("stop", *TYPES, "--no-dry-run", input="nope\n")
    assert refused.exit_code == 3 and refused.stderr.startswith("refused:")
    ok("stop", *TYPES, "--no-dry-run", input=f"{account_of(blank)}\n")
    before = status()
    parked = {(row["type"], row["id"]) for row in before if row["state"].startswith("parked since")}
    # the 2 instances, the group and the alarm; the group's own instances are not parked one by one
    assert sorted(t for t, _ in parked) == [
        "autoscaling:group",
        "cloudwatch:alarm",
        "ec2:instance",
        "ec2:instance",
    ]
    exported = json.loads(ok("state", "export", "-").stdout)
    assert {(t, r["id"]) for t, rs in exported["resources"].items() for r in rs} == parked
    ok("start", *TYPES, "--no-dry-run")
    after = status()
    assert len(after) == len(before) and [r for r in after if r["state"].startswith("parked")] == []


@pytest.mark.parametrize(
    "args",
    [
        ["state", "import", "broken.json"],
        ["state", "import", "wrong.json"],
        ["state", "import", "missing.json"],
        ["stop", "--group", "nope"],
    ],
)
def test_bad_state_files_and_groups_are_one_line_errors(cli_env, tmp_path, args):
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "wrong.json").write_text(
        json.dumps({"version": "1.0", "resources": {"ec2:instance": [{"id": "i-1"}]}})
    )
    result = invoke(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ")


CHECKPOINTS = [
    ("snapshot", 1),
    ("snapshot", 17),
    ("applying", 9),
    ("applied", 1),
    ("applied", 23),
    ("verified", 30),
]


@pytest.mark.parametrize(("checkpoint", "nth"), CHECKPOINTS)
def test_a_stop_killed_at_any_checkpoint_is_restored_exactly_by_start(seed, blank, tmp_path, checkpoint, nth):
    total = seed_mixed(seed)
    assert total >= 30
    before = {k: r["before"] for k, r in settings().items()}
    assert len(before) == total
    crashed = costzero_process(
        blank,
        "stop",
        *TYPES,
        "--no-dry-run",
        "--yes",
        "--account",
        account_of(blank),
        extra={"COSTZERO_CRASH_AT": f"{checkpoint}:{nth}"},
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stdout + crashed.stderr

    ok("start", *TYPES, "--no-dry-run")
    after = {k: r["before"] for k, r in settings().items()}
    assert after == before  # 100% of fields back as they were

    with sqlite3.connect(tmp_path / "runs.db") as db:
        rows = db.execute("SELECT ref_key, settings, closed_at FROM park_snapshots").fetchall()
    keys = [r[0] for r in rows]
    assert len(keys) >= nth  # the run got as far as the checkpoint: `nth` resources had their snapshot
    assert len(keys) == len(set(keys))  # 0 duplicate snapshots
    for _, text, closed_at in rows:
        saved = json.loads(text)
        # 0 snapshots holding parked values
        assert saved.get("state", "running") == "running"
        assert saved.get("desired", 1) >= 1
        assert saved.get("actions_enabled", True) is True
        assert closed_at is not None  # all restored


def test_runs_resume_finishes_a_killed_stop(seed, blank, tmp_path):
    seed_mixed(seed, instances=6, groups=2, alarms=4)
    before = settings()
    assert len(before) == 12
    crashed = costzero_process(
        blank,
        "stop",
        *TYPES,
        "--no-dry-run",
        "--yes",
        "--account",
        "123456789012",
        extra={"COSTZERO_CRASH_AT": "applied:2"},
    )
    assert crashed.returncode == -signal.SIGKILL
    with sqlite3.connect(tmp_path / "runs.db") as db:
        [(run_id,)] = db.execute("SELECT id FROM runs WHERE kind = 'stop' AND dry_run = 0").fetchall()
    ok("runs", "resume", run_id[:8], "--yes")
    parked = settings()
    assert parked.keys() == before.keys()
    assert {r["decision"] for r in parked.values()} == {"done"}
    ok("start", *TYPES, "--no-dry-run")
    assert {k: r["before"] for k, r in settings().items()} == {k: r["before"] for k, r in before.items()}


def test_a_group_selects_by_tags_and_types(seed, tmp_path):
    ids = seed_instances(seed, 3)
    ec2 = seed("ec2")
    ec2.create_tags(
        Resources=ids[:2], Tags=[{"Key": "Project", "Value": "journeys"}, {"Key": "Env", "Value": "dev"}]
    )
    (tmp_path / "costzero.yaml").write_text(
        "groups:\n  analytics:\n    tags: {Project: journeys, Env: dev}\n    types: [ec2:instance]\n"
    )
    plan = json.loads(ok("stop", "--group", "analytics", "-o", "json").stdout)["plan"]
    assert sorted(r["id"] for r in plan["resources"]) == sorted(ids[:2])


def test_start_and_its_resume_leave_excluded_resources_parked(seed, blank):
    ids = seed_instances(seed, 2)
    ec2 = seed("ec2")
    ec2.create_tags(Resources=ids[:1], Tags=[{"Key": "keep", "Value": "true"}])
    account = account_of(blank)
    ok("stop", "--type", "ec2:instance", "--no-dry-run", "--yes", "--account", account)

    # killed after committing the first restore step: `runs resume` must keep the filter
    crashed = costzero_process(
        blank,
        "start",
        "--type",
        "ec2:instance",
        "--exclude-tag",
        "keep=true",
        "--no-dry-run",
        "--account",
        account,
        extra={"COSTZERO_CRASH_AT": "restoring:1"},
    )
    assert crashed.returncode == -signal.SIGKILL
    with sqlite3.connect(Path.cwd() / "runs.db") as db:
        [(run_id,)] = db.execute("SELECT id FROM runs WHERE kind = 'start' AND dry_run = 0").fetchall()
    started = ok("runs", "resume", run_id)
    assert "keep ec2:instance" in started.stdout
    states = {
        i["InstanceId"]: i["State"]["Name"]
        for r in ec2.describe_instances(InstanceIds=ids)["Reservations"]
        for i in r["Instances"]
    }
    assert states == {ids[0]: "stopped", ids[1]: "running"}
    shown = status("--type", "ec2:instance", "--exclude-tag", "keep=true")
    assert [r["id"] for r in shown] == [ids[1]]
