"""`costzero cost`, dollars in plans and status, and `cost --saved` after real runs, through the CLI
against the moto server: one JSON document each, totals that add up, savings that match the plan."""

from __future__ import annotations

import csv
import io
import json

import boto3
import pytest

from tests.e2e.running import account_of, invoke


def ok(*args: str, input: str | None = None):
    result = invoke(*args, input=input)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


def test_cost_is_one_document_whose_groups_and_resources_add_up(demo_account):
    document = json.loads(ok("cost", "-o", "json", "--group-by", "region").stdout)
    total = document["total"]
    assert document["group_by"] == "region" and [g["group"] for g in document["groups"]] == ["us-east-1"]
    assert sum(g["resources"] for g in document["groups"]) == total["resources"] == len(document["resources"])
    assert total["usd_per_hour"] == pytest.approx(
        sum(r["usd_per_hour"] for r in document["resources"]), abs=1e-5
    )
    assert total["usd_per_hour"] > 0, "the demo account's instances, volumes and addresses are priced"
    assert total["usd_per_month"] == pytest.approx(total["usd_per_hour"] * 730, abs=0.01)
    assert len(document["top"]) <= 10
    assert document["top"] == sorted(document["top"], key=lambda r: -r["usd_per_hour"])
    assert document["prices"]["source"] and document["prices"]["hours_per_month"] == 730


def test_cost_by_tag_as_csv_and_a_bad_grouping_is_one_line(demo_account):
    rows = list(csv.DictReader(io.StringIO(ok("cost", "-g", "tag:team", "-o", "csv").stdout)))
    assert {"demo", "(no team tag)"} >= {r["group"] for r in rows} and rows
    bad = invoke("cost", "-g", "colour")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "cannot group by 'colour'" in bad.stderr


def test_a_plan_says_what_the_destroy_would_save(demo_account):
    plan = json.loads(ok("plan", "destroy", "-o", "json").stdout)
    cost = plan["cost"]
    assert cost["saves"]["usd_per_hour"] == pytest.approx(
        cost["now"]["usd_per_hour"], abs=1e-5
    )  # nothing kept
    priced = [r for stage in plan["stages"] for t in stage["tasks"] for r in t["resources"]]
    assert all("usd_per_hour" in r for r in priced)
    table = ok("plan", "destroy").stdout
    assert "would save $" in table and "costs now: $" in table


def test_a_stop_saves_compute_while_storage_keeps_billing(demo_account):
    document = json.loads(ok("stop", "--type", "ec2:instance", "-o", "json").stdout)
    cost = document["plan"]["cost"]
    assert cost["action"] == "stop"
    assert cost["saves"]["storage_usd_per_hour"] == 0
    assert cost["saves"]["usd_per_hour"] == pytest.approx(cost["saves"]["compute_usd_per_hour"])
    rows = json.loads(ok("status", "--type", "ec2:instance", "-o", "json").stdout)
    assert rows and all(r["usd_per_hour"] is not None for r in rows)


def test_real_runs_record_what_they_saved(blank):
    ec2 = boto3.client("ec2", region_name="us-east-1", endpoint_url=blank["COSTZERO_ENDPOINT_URL"])
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    image = next(i for i in images if i.get("Platform") != "windows")["ImageId"]  # Linux hours are priced
    ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2, InstanceType="t3.micro")
    account = account_of(blank)
    planned = json.loads(ok("plan", "destroy", "--type", "ec2:instance", "-o", "json").stdout)["cost"]
    ok("destroy", "--type", "ec2:instance", "--no-dry-run", "--no-live", input=f"{account}\n")
    saved = json.loads(ok("cost", "--saved", "-o", "json").stdout)
    assert saved["resources"] == 2
    assert saved["still_saving_usd_per_hour"] == pytest.approx(planned["saves"]["usd_per_hour"], abs=1e-6)
    assert saved["still_saving_usd_per_hour"] > 0
    (run_id,) = saved["by_run"]
    shown = json.loads(ok("runs", "show", run_id, "-o", "json").stdout)
    assert len(shown["costs"]) == 2 and shown["savings"]["resources"] == 2
    assert "saved so far " in ok("runs", "show", run_id).stdout


def test_a_broken_price_cache_is_one_line_before_anything_is_listed(cli_env, tmp_path):
    cache = tmp_path / "cache" / "costzero" / "prices.json"
    cache.parent.mkdir(parents=True)
    cache.write_text("{not json")
    result = invoke("cost")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "cannot read price book" in result.stderr


def test_prices_older_than_90_days_are_flagged(demo_account, tmp_path):
    from datetime import UTC, datetime

    from costzero.domain.pricing import PriceBook, PriceKey
    from costzero.infrastructure.pricing.book_file import write_book

    old = PriceBook(
        {PriceKey("AmazonEC2", "us-east-1", "BoxUsage:t3.micro", "Hrs"): 0.0104},
        datetime(2020, 1, 1, tzinfo=UTC),
        "an old refresh",
    )
    write_book(tmp_path / "cache" / "costzero" / "prices.json", old)
    result = ok("cost")
    assert "warning: prices are" in result.stderr and "days old (an old refresh" in result.stderr
    document = json.loads(ok("plan", "destroy", "-o", "json").stdout)
    assert "days old" in document["cost"]["prices"]["warning"]
    assert "days old" in ok("status", "--type", "ec2:instance").stderr
