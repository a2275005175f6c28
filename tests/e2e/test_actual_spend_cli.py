"""`costzero cost --actual` through the CLI against the moto server: what each test run (seed 004's
TEST_RUN_ID tag) cost according to Cost Explorer, beside what its resources cost now; the day's
cache; bad input in one line before any request.

moto tracks no cost: the test queues Cost Explorer's answer first (see
tests/integration/test_cost_explorer.py for the request AWS gets and its refusals)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from tests.e2e.running import invoke
from tests.integration.cost_explorer_results import group, month, queue


def ok(*args: str):
    result = invoke(*args)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


def test_each_test_run_shows_what_it_cost_beside_its_estimate(blank, tmp_path):
    endpoint = blank["COSTZERO_ENDPOINT_URL"]
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=endpoint)
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    image = next(i for i in images if i.get("Platform") != "windows")["ImageId"]  # Linux hours are priced
    run_tag = [{"Key": "TEST_RUN_ID", "Value": "baseline-256mb"}]
    tagged = [{"ResourceType": kind, "Tags": run_tag} for kind in ("instance", "volume")]
    ec2.run_instances(
        ImageId=image, MinCount=2, MaxCount=2, InstanceType="t3.micro", TagSpecifications=tagged
    )
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro")
    today = datetime.now(UTC).date()
    since = (today - timedelta(days=20)).isoformat()
    groups = [
        group("TEST_RUN_ID$baseline-256mb", "12.5"),
        group("TEST_RUN_ID$tuned-512mb", "40"),  # an earlier run, destroyed since
        group("TEST_RUN_ID$", "1.25"),
    ]
    queue(endpoint, {"ResultsByTime": [month(since, today.isoformat(), groups, estimated=True)]})

    fetched = ok("cost", "--actual", "--since", since, "-g", "tag:TEST_RUN_ID", "-o", "json")
    document = json.loads(fetched.stdout)  # one document; caveats inside it, not on stderr
    assert "note:" not in fetched.stderr
    assert document["period"]["days"] == 20 and document["period"]["hours"] == 480
    assert document["actual"]["usd"] == 53.75 and document["actual"]["cached"] is False
    assert document["actual"]["estimated"] is True and document["actual"]["requests"] == 1
    assert any("cost allocation tags must be activated" in c for c in document["caveats"])
    lines = {g["group"]: g for g in document["groups"]}
    baseline = lines["baseline-256mb"]
    assert baseline["actual_usd"] == 12.5 and baseline["resources"] == 4 and baseline["estimated"]
    assert baseline["estimate_usd_per_hour"] > 0, "t3.micro Linux hours are in the bundled book"
    assert baseline["estimate_usd"] == pytest.approx(baseline["estimate_usd_per_hour"] * 480, abs=1e-3)
    assert baseline["difference_usd"] == pytest.approx(12.5 - baseline["estimate_usd"], abs=1e-3)
    gone = lines["tuned-512mb"]
    assert gone["actual_usd"] == 40 and gone["estimate_usd"] is None and gone["resources"] == 0
    untagged = lines["(no TEST_RUN_ID tag)"]
    assert untagged["actual_usd"] == 1.25 and untagged["resources"] == 2  # an instance, its root volume
    assert document["estimate"]["resources"] == 6
    assert list(lines) == ["tuned-512mb", "baseline-256mb", "(no TEST_RUN_ID tag)"]

    again = ok("cost", "--actual", "--since", since, "-g", "tag:TEST_RUN_ID")  # same question, same day
    assert "cached answer fetched" in again.stdout and "baseline-256mb" in again.stdout
    assert "note: cost allocation tags must be activated" in again.stderr
    assert "note: each Cost Explorer request costs $0.01" in again.stderr
    cached_files = list((tmp_path / "cache" / "costzero" / "cost-explorer").glob("*.json"))
    assert len(cached_files) == 1 and cached_files[0].name.startswith(today.isoformat())

    rows = list(
        csv.DictReader(
            io.StringIO(ok("cost", "--actual", "--since", since, "-g", "tag:TEST_RUN_ID", "-o", "csv").stdout)
        )
    )
    assert [r["group"] for r in rows] == list(lines) and rows[0]["estimate_usd"] == ""
    refreshed = json.loads(
        ok("cost", "--actual", "--since", since, "-g", "tag:TEST_RUN_ID", "--refresh", "-o", "json").stdout
    )
    assert refreshed["actual"]["cached"] is False and refreshed["actual"]["usd"] == 53.75


def test_by_service_cost_explorer_names_meet_the_price_list_codes(blank):
    today = datetime.now(UTC).date()
    since = (today - timedelta(days=3)).isoformat()
    groups = [
        group("Amazon Elastic Compute Cloud - Compute", "2"),
        group("EC2 - Other", "0.5"),
        group("Tax", "0.3"),
    ]
    queue(blank["COSTZERO_ENDPOINT_URL"], {"ResultsByTime": [month(since, today.isoformat(), groups)]})
    rows = list(csv.DictReader(io.StringIO(ok("cost", "--actual", "--since", since, "-o", "csv").stdout)))
    by_group = {r["group"]: r for r in rows}
    assert by_group["AmazonEC2"]["actual_usd"] == "2.5"
    assert by_group["AmazonEC2"]["aws_names"] == "Amazon Elastic Compute Cloud - Compute EC2 - Other"
    assert by_group["Tax"]["estimate_usd"] == ""


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--actual",), "--actual needs --since"),
        (("--since", "2026-01-01"), "go with --actual"),
        (("--actual", "--saved", "--since", "2026-01-01"), "two different views"),
        (("--actual", "--since", "2999-01-01"), "is in the future"),
        (("--actual", "--since", "2001-01-01"), "older than Cost Explorer's history"),
        (("--actual", "--since", "01/02/2026"), "is not a date"),
        (("--actual", "--since", "2026-01-01", "-g", "type"), "cannot group actual spend by 'type'"),
        (("--actual", "--since", "2026-01-01", "-o", "xml"), "unknown output"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_before_any_request(cli_env, tmp_path, args, says):
    result = invoke("cost", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and result.stderr.count("\n") == 1 and says in result.stderr, result.stderr
    assert not (tmp_path / "cache" / "costzero" / "cost-explorer").exists()
