"""`costzero runs report` and `--report FILE` on destroy, stop and start, through the CLI against
the moto server: the file holds the run that just happened, in the format its name asks for, and
a report that cannot be written is refused before anything runs."""

from __future__ import annotations

import csv
import io
import json

import boto3
import pytest

from costzero.presentation.run_report import RESOURCE_FIELDS
from tests.e2e.running import account_of, invoke
from tests.html_pages import read_page
from tests.integration.park_fixtures import seed_instances

TYPES = ["--type", "ec2:key-pair", "--type", "ec2:volume"]


def seed_estate(env: dict[str, str]) -> set[str]:
    """Two key pairs (one named like markup) and two volumes; returns what a destroy deletes."""
    ec2 = boto3.client("ec2", endpoint_url=env["COSTZERO_ENDPOINT_URL"], region_name="us-east-1")
    names = ["plain-key", "<b>bold</b>&key"]
    pairs = {ec2.create_key_pair(KeyName=name)["KeyPairId"] for name in names}
    volumes = {ec2.create_volume(AvailabilityZone="us-east-1a", Size=n)["VolumeId"] for n in (1, 2)}
    return pairs | volumes


def runs() -> list[dict]:
    listed = invoke("runs", "list", "-o", "json")
    assert listed.exit_code == 0, listed.output
    return json.loads(listed.stdout)["runs"]


def test_a_real_destroy_writes_its_report_and_runs_report_gives_the_same_data(blank, tmp_path):
    ids = seed_estate(blank)
    account = account_of(blank)
    done = invoke(
        "destroy", *TYPES, "--no-dry-run", "--yes", "--account", account, "--no-live", "--report", "run.json"
    )
    assert done.exit_code == 0, done.output + done.stderr
    report = json.loads((tmp_path / "run.json").read_text())
    (run,) = runs()
    assert f"json report of run {run['id']} to run.json" in done.stderr
    assert (
        report["run"] | {"id": run["id"], "kind": "destroy", "dry_run": False, "status": "succeeded"}
        == report["run"]
    )
    assert report["run"]["account"] == account
    assert {r["id"] for r in report["resources"]} == ids
    assert {r["outcome"] for r in report["resources"]} <= {"done", "gone"}
    assert report["cost"]["resources"] == len(ids)  # every target's rate was recorded
    assert report["savings"]["kind"] == "saved"
    tasks = report["timeline"]["tasks"]
    assert sorted(t["type"] for t in tasks) == ["ec2:key-pair", "ec2:volume"]
    assert all(t["state"] == "succeeded" and 0 <= t["start_s"] <= t["end_s"] for t in tasks)

    as_csv = invoke("runs", "report", run["id"][:6], "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert list(rows[0]) == list(RESOURCE_FIELDS)
    assert [(r["type"], r["id"], r["outcome"]) for r in rows] == [
        (r["type"], r["id"], r["outcome"]) for r in report["resources"]
    ]
    written = invoke("runs", "report", run["id"], "--out", "page.html")
    assert written.exit_code == 0 and written.stdout == "", written.output
    assert "wrote html report" in written.stderr
    page = read_page((tmp_path / "page.html").read_text())
    assert len(page.bars) == len(tasks)
    assert page.data["run"] == report["run"] and page.data["timeline"] == report["timeline"]
    assert sorted(row[1] for row in page.rows) == sorted(ids)
    assert "<b>bold</b>&key" in {row[2] for row in page.rows}  # the name, as text
    to_stdout = invoke("runs", "report", run["id"])
    assert to_stdout.exit_code == 0 and to_stdout.stdout.startswith("<!DOCTYPE html>")


def test_a_dry_run_report_says_what_a_real_run_would_save(blank, tmp_path):
    ids = seed_estate(blank)
    dry = invoke("destroy", *TYPES, "--report", "dry.csv")
    assert dry.exit_code == 0, dry.output + dry.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "dry.csv").read_text())))
    assert {r["id"]: r["outcome"] for r in rows} == dict.fromkeys(ids, "would-delete")
    assert {r["saved_usd"] for r in rows} == {""}  # a dry run saved nothing
    (run,) = runs()
    data = json.loads(invoke("runs", "report", run["id"], "-f", "json").stdout)
    assert data["savings"]["kind"] == "would-save" and data["timeline"]["tasks"] == []


def test_stop_and_start_write_their_reports(blank, tmp_path):
    env = blank
    seed_instances(
        lambda s: boto3.client(s, endpoint_url=env["COSTZERO_ENDPOINT_URL"], region_name="us-east-1"), 2
    )
    account = account_of(env)
    args = ["--type", "ec2:instance", "--no-dry-run", "--no-live"]
    stopped = invoke("stop", *args, "--yes", "--account", account, "--report", "stop.html")
    assert stopped.exit_code == 0, stopped.output + stopped.stderr
    page = read_page((tmp_path / "stop.html").read_text())
    assert page.data["run"]["kind"] == "stop" and len(page.bars) == 1
    assert {row[page.headers.index("Outcome")] for row in page.rows} == {"parked"}
    started = invoke("start", *args, "--report", "start.json")
    assert started.exit_code == 0, started.output + started.stderr
    data = json.loads((tmp_path / "start.json").read_text())
    assert data["run"]["kind"] == "start" and data["savings"]["kind"] == "none"
    assert {r["outcome"] for r in data["resources"]} == {"restored"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["destroy", *TYPES, "--report", "run.txt"], "unknown report file type 'run.txt'"),
        (["destroy", *TYPES, "--no-dry-run", "--report", "no/such/dir/run.html"], "no directory"),
        (["stop", "--report", "stop.pdf"], "unknown report file type 'stop.pdf'"),
        (["start", "--no-dry-run", "--report", "start"], "unknown report file type 'start'"),
    ],
)
def test_a_report_that_cannot_be_written_is_refused_before_the_run(blank, args, message):
    seed_estate(blank)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert runs() == []  # nothing ran, nothing was planned against the account


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["runs", "report", "nope"], "no run matches 'nope'"),
        (["runs", "report", "nope", "--format", "xml"], "unknown report format 'xml'"),
        (["runs", "report", "nope", "--out", "no/dir/r.html"], "no directory"),
    ],
)
def test_runs_report_says_bad_input_in_one_line(cli_env, args, message):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
