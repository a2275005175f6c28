"""stop / start / status / state through the real `costzero` executable, including SIGKILL crashes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from tests.integration.park_fixtures import seed_alarm, seed_group, seed_instances

COSTZERO = str(Path(sys.executable).parent / "costzero")
TYPES = ["--type", "ec2:instance", "--type", "autoscaling:group", "--type", "cloudwatch:alarm"]


@pytest.fixture
def env(moto_server, tmp_path, monkeypatch):
    moto_server.reset()
    monkeypatch.chdir(tmp_path)
    values = {
        "COSTZERO_ENDPOINT_URL": moto_server.endpoint_url,
        "COSTZERO_DATABASE_URL": f"sqlite:///{tmp_path / 'runs.db'}",
        "COSTZERO_REGIONS": '["us-east-1"]',
        "COSTZERO_WAIT__FIRST_DELAY": "0.05",
        "COSTZERO_WAIT__MAX_DELAY": "0.2",
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith("COSTZERO_")}
    return {**base, **values}


@pytest.fixture
def seed(moto_server):
    return lambda service, region="us-east-1": boto3.client(
        service, region_name=region, endpoint_url=moto_server.endpoint_url
    )


def run(env, *args, input="", extra=None):
    return subprocess.run(
        [COSTZERO, *args],
        env={**env, **(extra or {})},
        input=input,
        capture_output=True,
        text=True,
        timeout=180,
    )


def settings(env) -> dict[str, dict]:
    plan = json.loads(run(env, "stop", *TYPES, "-o", "json").stdout)["plan"]
    return {f"{r['type']}/{r['id']}": r for r in plan["resources"]}


def seed_mixed(seed, instances=20, groups=6, alarms=10):
    seed_instances(seed, instances)
    for n in range(groups):
        seed_group(seed, f"asg-{n}", n % 3, 1 + n % 3, 4 + n, ["AlarmNotification"] if n % 2 else [])
    for n in range(alarms):
        seed_alarm(seed, f"alarm-{n}", enabled=True)
    return instances + groups + alarms


def live_settings(sdk_env) -> dict[str, dict]:
    out = run(sdk_env, "status", *TYPES, "-o", "json")
    return {f"{r['type']}/{r['id']}": r["state"] for r in json.loads(out.stdout)}


def test_stop_asks_for_the_account_and_start_restores(env, seed):
    seed_mixed(seed, instances=2, groups=1, alarms=1)
    refused = run(env, "stop", *TYPES, "--no-dry-run", input="nope\n")
    assert refused.returncode == 3 and refused.stderr.startswith("refused:")
    account = boto3.client(
        "sts", endpoint_url=env["COSTZERO_ENDPOINT_URL"], region_name="us-east-1"
    ).get_caller_identity()["Account"]
    done = run(env, "stop", *TYPES, "--no-dry-run", input=f"{account}\n")
    assert done.returncode == 0, done.stdout + done.stderr
    status = json.loads(run(env, "status", *TYPES, "-o", "json").stdout)
    parked = {(row["type"], row["id"]) for row in status if row["state"].startswith("parked since")}
    # the 2 instances, the group and the alarm; the group's own instances are not parked one by one
    assert sorted(t for t, _ in parked) == [
        "autoscaling:group",
        "cloudwatch:alarm",
        "ec2:instance",
        "ec2:instance",
    ]
    exported = json.loads(run(env, "state", "export", "-").stdout)
    assert {(t, r["id"]) for t, rs in exported["resources"].items() for r in rs} == parked
    started = run(env, "start", *TYPES, "--no-dry-run")
    assert started.returncode == 0, started.stdout + started.stderr
    after = json.loads(run(env, "status", *TYPES, "-o", "json").stdout)
    assert len(after) == len(status) and not [r for r in after if r["state"].startswith("parked")]


def test_bad_state_files_and_groups_are_one_line_errors(env, tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "wrong.json").write_text(
        json.dumps({"version": "1.0", "resources": {"ec2:instance": [{"id": "i-1"}]}})
    )
    for args in (
        ["state", "import", "broken.json"],
        ["state", "import", "wrong.json"],
        ["state", "import", "missing.json"],
        ["stop", "--group", "nope"],
    ):
        result = run(env, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


CHECKPOINTS = [
    ("snapshot", 1),
    ("snapshot", 17),
    ("applying", 9),
    ("applied", 1),
    ("applied", 23),
    ("verified", 30),
]


@pytest.mark.parametrize(("checkpoint", "nth"), CHECKPOINTS)
def test_a_stop_killed_at_any_checkpoint_is_restored_exactly_by_start(env, seed, tmp_path, checkpoint, nth):
    total = seed_mixed(seed)
    assert total >= 30
    before = {k: {f: v for f, v in r.items() if f in ("before",)} for k, r in settings(env).items()}
    account = boto3.client(
        "sts", endpoint_url=env["COSTZERO_ENDPOINT_URL"], region_name="us-east-1"
    ).get_caller_identity()["Account"]
    crashed = run(
        env,
        "stop",
        *TYPES,
        "--no-dry-run",
        "--yes",
        "--account",
        account,
        extra={"COSTZERO_CRASH_AT": f"{checkpoint}:{nth}"},
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stdout + crashed.stderr

    started = run(env, "start", *TYPES, "--no-dry-run")
    assert started.returncode == 0, started.stdout + started.stderr
    after = {k: {f: v for f, v in r.items() if f in ("before",)} for k, r in settings(env).items()}
    assert after == before  # 100% of fields back as they were

    with sqlite3.connect(tmp_path / "runs.db") as db:
        rows = db.execute("SELECT ref_key, settings, closed_at FROM park_snapshots").fetchall()
    keys = [r[0] for r in rows]
    assert len(keys) == len(set(keys))  # 0 duplicate snapshots
    for _, text, closed_at in rows:
        saved = json.loads(text)
        # 0 snapshots holding parked values
        assert saved.get("state", "running") == "running"
        assert saved.get("desired", 1) >= 1
        assert saved.get("actions_enabled", True) is True
        assert closed_at is not None  # all restored


def test_runs_resume_finishes_a_killed_stop(env, seed, tmp_path):
    seed_mixed(seed, instances=6, groups=2, alarms=4)
    before = settings(env)
    crashed = run(
        env,
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
    resumed = run(env, "runs", "resume", run_id[:8], "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    parked = settings(env)
    ours = [r for r in parked.values() if r["id"] in {k.split("/", 1)[1] for k in before}]
    assert len(ours) == len(before) and all(r["decision"] == "done" for r in ours)
    assert run(env, "start", *TYPES, "--no-dry-run").returncode == 0
    assert {k: r["before"] for k, r in settings(env).items()} == {k: r["before"] for k, r in before.items()}


def test_a_group_selects_by_tags_and_types(env, seed, tmp_path):
    ids = seed_instances(seed, 3)
    ec2 = seed("ec2")
    ec2.create_tags(
        Resources=ids[:2], Tags=[{"Key": "Project", "Value": "journeys"}, {"Key": "Env", "Value": "dev"}]
    )
    (tmp_path / "costzero.yaml").write_text(
        "groups:\n  analytics:\n    tags: {Project: journeys, Env: dev}\n    types: [ec2:instance]\n"
    )
    plan = json.loads(run(env, "stop", "--group", "analytics", "-o", "json").stdout)["plan"]
    assert sorted(r["id"] for r in plan["resources"]) == sorted(ids[:2])


def test_start_and_its_resume_leave_excluded_resources_parked(env, seed):
    ids = seed_instances(seed, 2)
    ec2 = seed("ec2")
    ec2.create_tags(Resources=ids[:1], Tags=[{"Key": "keep", "Value": "true"}])
    account = boto3.client(
        "sts", endpoint_url=env["COSTZERO_ENDPOINT_URL"], region_name="us-east-1"
    ).get_caller_identity()["Account"]
    stopped = run(env, "stop", "--type", "ec2:instance", "--no-dry-run", "--yes", "--account", account)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr

    crashed = run(  # killed after committing the first restore step: `runs resume` must keep the filter
        env,
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
    started = run(env, "runs", "resume", run_id)

    assert started.returncode == 0, started.stdout + started.stderr
    assert "keep ec2:instance" in started.stdout
    states = {
        i["InstanceId"]: i["State"]["Name"]
        for r in ec2.describe_instances(InstanceIds=ids)["Reservations"]
        for i in r["Instances"]
    }
    assert states == {ids[0]: "stopped", ids[1]: "running"}
    shown = run(env, "status", "--type", "ec2:instance", "--exclude-tag", "keep=true", "-o", "json")
    assert [r["id"] for r in json.loads(shown.stdout)] == [ids[1]]
