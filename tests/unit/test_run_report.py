"""Run reports: one data structure (`report_data`) behind the HTML page, the JSON and the CSV; the
page is self-contained, escapes user data and draws one bar per task. Runs are hand-built as the
run store returns them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from costzero.application.savings import savings_of
from costzero.domain.errors import BadInputError
from costzero.presentation import run_report
from costzero.presentation.report_html import SCRIPT, STYLE, render_html
from costzero.presentation.report_timeline import round_ticks
from costzero.presentation.run_report import RESOURCE_FIELDS, as_csv, format_of, report_data
from tests.html_pages import read_page

T0 = datetime(2026, 3, 1, 10, tzinfo=UTC)
NOW = T0 + timedelta(hours=10)
ACCOUNT = "123456789012"
NASTY = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat()


def key(type_key: str, region: str = "us-east-1") -> str:
    return f"{type_key}@{ACCOUNT}/{region}"


def cost(type_key: str, rid: str, compute: float, storage: float = 0.0, **kw: Any) -> dict[str, Any]:
    hourly = compute + storage
    return {
        "type": type_key,
        "id": rid,
        "name": kw.get("name"),
        "account": ACCOUNT,
        "region": kw.get("region", "us-east-1"),
        "usd_per_hour": round(hourly, 6),
        "usd_per_month": round(hourly * 730, 2),
        "compute_usd_per_hour": compute,
        "storage_usd_per_hour": storage,
        "known": kw.get("known", True),
    }


def action(type_key: str, rid: str, outcome: str, seconds: float, message: str = "") -> dict[str, Any]:
    return {
        "task_key": key(type_key),
        "resource_id": rid,
        "action": "delete",
        "outcome": outcome,
        "at": at(seconds),
        "message": message,
    }


def task(type_key: str, state: str, seconds: float, reason: str = "", region: str = "us-east-1") -> dict:
    return {"task_key": key(type_key, region), "state": state, "at": at(seconds), "reason": reason}


def run_of(kind: str = "destroy", *, dry_run: bool = False, **kw: Any) -> dict[str, Any]:
    return {
        "id": kw.get("id", "run0000000001"),
        "kind": kw.get("kind", kind),
        "dry_run": dry_run,
        "status": kw.get("status", "succeeded"),
        "started_at": at(0),
        "finished_at": kw.get("finished_at", at(40)),
        "params": {"account": ACCOUNT, "regions": ["us-east-1"], "types": ["ec2:instance", "ec2:volume"]},
        "summary": {"outcomes": kw.get("outcomes", {})},
        "tasks": kw.get("tasks", []),
        "actions": kw.get("actions", []),
        "costs": kw.get("costs", []),
    }


def data_of(run: dict[str, Any]) -> dict[str, Any]:
    return report_data(run, savings_of([run], NOW))


def a_destroy() -> dict[str, Any]:
    """Two tasks that waited, one that had nothing to do; one resource denied, one kept."""
    return run_of(
        status="partial",
        tasks=[
            task("ec2:instance", "running", 0.5),
            task("ec2:instance", "waiting", 1, "i-1 pending"),
            task("ec2:instance", "running", 20),
            task("ec2:instance", "succeeded", 21),
            task("ec2:volume", "running", 1),
            task("ec2:volume", "waiting", 2, "held by i-1"),
            task("ec2:volume", "running", 22),
            task("ec2:volume", "waiting", 23, "deleting"),
            task("ec2:volume", "running", 25),
            task("ec2:volume", "failed", 30, "vol-2: denied"),
            task("ec2:security-group", "skipped", 0.2, "nothing to delete", region="eu-west-1"),
        ],
        actions=[
            action("ec2:volume", "vol-3", "kept", 0.1, "tag keep=yes"),
            action("ec2:instance", "i-1", "pending", 1),
            action("ec2:instance", "i-1", "done", 21),
            action("ec2:volume", "vol-1", "done", 25),
            action("ec2:volume", "vol-2", "denied", 30, "<b>not allowed</b>"),
        ],
        costs=[
            cost("ec2:instance", "i-1", 0.0104, name=NASTY),
            cost("ec2:volume", "vol-1", 0.0, 0.011),
            cost("ec2:volume", "vol-2", 0.0, 0.005),
        ],
        outcomes={"done": 2, "kept": 1, "denied": 1},
    )


def test_a_destroy_costs_before_what_it_acted_on_and_after_what_it_did_not_delete():
    data = data_of(a_destroy())
    assert data["cost"]["before_usd_per_hour"] == pytest.approx(0.0264)
    assert data["cost"]["before_usd_per_month"] == pytest.approx(19.27)
    assert data["cost"]["after_usd_per_hour"] == pytest.approx(0.005)  # vol-2 was denied
    assert data["cost"]["unknown"] == 0
    savings = data["savings"]
    assert savings["kind"] == "saved"
    # i-1 from 21 s, vol-1 from 25 s, until NOW (10 h after the start)
    expected = 0.0104 * (10 - 21 / 3600) + 0.011 * (10 - 25 / 3600)
    assert savings["so_far_usd"] == pytest.approx(expected, abs=1e-4)
    assert savings["usd_per_hour"] == pytest.approx(0.0214)
    assert savings["usd_per_month"] == pytest.approx(0.0214 * 730, abs=0.01)
    assert data["generated_at"] == NOW.isoformat()
    assert data["run"]["summary"] == "deleted 2, kept 1, denied 1"
    assert data["run"]["duration_seconds"] == 40


def test_the_timeline_has_each_task_from_its_first_to_its_last_change_with_its_waits():
    tasks = {t["type"]: t for t in data_of(a_destroy())["timeline"]["tasks"]}
    assert list(tasks) == ["ec2:instance", "ec2:volume", "ec2:security-group"]
    assert (tasks["ec2:instance"]["start_s"], tasks["ec2:instance"]["end_s"]) == (0.5, 21)
    assert tasks["ec2:instance"]["waits"] == [[1, 20]]
    assert tasks["ec2:volume"]["waits"] == [[2, 22], [23, 25]]
    assert tasks["ec2:volume"]["attempts"] == 3
    assert (tasks["ec2:volume"]["state"], tasks["ec2:volume"]["reason"]) == ("failed", "vol-2: denied")
    skipped = tasks["ec2:security-group"]
    assert (skipped["start_s"], skipped["end_s"], skipped["waits"], skipped["region"]) == (
        0.2,
        0.2,
        [],
        "eu-west-1",
    )


def test_a_task_interrupted_while_waiting_waited_until_the_run_ended():
    run = run_of(
        status="interrupted",
        finished_at=at(12),
        tasks=[task("ec2:volume", "running", 1), task("ec2:volume", "waiting", 2, "deleting")],
    )
    (only,) = data_of(run)["timeline"]["tasks"]
    assert (only["end_s"], only["waits"], only["state"]) == (12, [[2, 12]], "waiting")


def test_every_resource_has_a_row_kept_ones_unpriced():
    rows = {r["id"]: r for r in data_of(a_destroy())["resources"]}
    assert list(rows) == ["i-1", "vol-1", "vol-2", "vol-3"]  # by type, region, id
    assert rows["i-1"] | {"saved_usd": None} == {
        "type": "ec2:instance",
        "id": "i-1",
        "name": NASTY,
        "region": "us-east-1",
        "account": ACCOUNT,
        "outcome": "done",
        "message": "",
        "usd_per_hour": 0.0104,
        "usd_per_month": 7.59,
        "known": True,
        "saved_usd": None,
    }
    assert rows["i-1"]["saved_usd"] > 0
    assert (rows["vol-2"]["outcome"], rows["vol-2"]["saved_usd"]) == ("denied", 0.0)
    assert rows["vol-3"]["outcome"] == "kept"
    assert rows["vol-3"]["usd_per_hour"] is None and rows["vol-3"]["known"] is None


def test_a_dry_run_would_save_what_it_would_delete_and_has_no_timeline():
    run = run_of(
        dry_run=True,
        actions=[action("ec2:volume", "vol-1", "would-delete", 0), action("ec2:volume", "vol-2", "kept", 0)],
        costs=[cost("ec2:volume", "vol-1", 0.0, 0.011)],
    )
    data = data_of(run)
    assert data["savings"]["kind"] == "would-save"
    assert data["savings"]["so_far_usd"] is None
    assert data["savings"]["usd_per_hour"] == pytest.approx(0.011)
    assert data["savings"]["usd_per_month"] == pytest.approx(8.03)
    assert data["cost"]["after_usd_per_hour"] == 0
    assert data["timeline"]["tasks"] == []
    assert all(row["saved_usd"] is None for row in data["resources"])
    page = read_page(render_html(data))
    assert page.bars == [] and "No task ran" in " ".join(page.texts)
    assert "Would save" in page.texts and "Saved so far" not in page.headers


def test_a_stop_leaves_the_storage_of_what_it_parked_and_the_whole_rate_of_the_rest():
    run = run_of(
        "stop",
        actions=[
            action("ec2:instance", "i-1", "parked", 5),
            action("ec2:instance", "i-2", "failed", 5, "denied"),
        ],
        costs=[cost("ec2:instance", "i-1", 0.1, 0.01), cost("ec2:instance", "i-2", 0.2, 0.02)],
    )
    data = data_of(run)
    assert data["cost"]["before_usd_per_hour"] == pytest.approx(0.33)
    assert data["cost"]["after_usd_per_hour"] == pytest.approx(0.01 + 0.22)
    assert data["savings"]["usd_per_hour"] == pytest.approx(0.1)  # the compute of what it parked
    dry = data_of({**run, "dry_run": True, "actions": [action("ec2:instance", "i-1", "would-stop", 0)]})
    assert dry["cost"]["after_usd_per_hour"] == pytest.approx(0.01 + 0.22)
    assert dry["savings"]["usd_per_month"] == pytest.approx(0.1 * 730)


def test_a_start_reports_no_saving_and_no_after():
    run = run_of("start", actions=[action("ec2:instance", "i-1", "restored", 5)])
    run["costs"] = [cost("ec2:instance", "i-1", 0.0, 0.01)]
    data = data_of(run)
    assert data["cost"]["after_usd_per_hour"] is None and data["savings"]["kind"] == "none"
    assert "stop" in data["savings"]["note"]
    page = read_page(render_html(data))
    assert page.bars == [] and "a start brings back what its stop saved" in " ".join(page.texts)


def test_a_run_without_costs_reports_zero_rates_and_its_resources_unpriced():
    run = run_of(
        actions=[action("ec2:volume", "vol-1", "done", 3)], tasks=[task("ec2:volume", "succeeded", 3)]
    )
    data = data_of(run)
    assert data["cost"] | {"note": ""} == {
        "resources": 0,
        "unknown": 0,
        "before_usd_per_hour": 0,
        "before_usd_per_month": 0,
        "after_usd_per_hour": 0,
        "after_usd_per_month": 0,
        "after_unknown": 0,
        "note": "",
    }
    assert data["savings"]["so_far_usd"] == 0
    assert [r["usd_per_hour"] for r in data["resources"]] == [None]
    assert "recorded no rates" in render_html(data)


def test_unknown_prices_make_totals_lower_bounds_never_zeros():
    run = run_of(
        actions=[action("ec2:volume", "vol-1", "done", 3), action("ec2:volume", "vol-2", "failed", 3)],
        costs=[
            cost("ec2:volume", "vol-1", 0.0, 0.0, known=False),
            cost("ec2:volume", "vol-2", 0.0, 0.004, known=False),
        ],
    )
    data = data_of(run)
    assert (data["cost"]["unknown"], data["cost"]["after_unknown"], data["savings"]["unknown"]) == (2, 1, 1)
    page = read_page(render_html(data))
    assert "≥ $0.0040/h" in " ".join(page.texts)  # cost after: vol-2 still bills, at least this
    by_id = {row[1]: row for row in page.rows}
    assert by_id["vol-2"][page.headers.index("USD/hour")] == "≥ $0.0040/h"
    assert "no price for" in " ".join(page.texts)


def test_json_and_csv_carry_the_same_data_as_the_page():
    data = data_of(a_destroy())
    html = render_html(data)
    page = read_page(html)
    assert page.data == json.loads(run_report.render(data, "json"))  # the page embeds the JSON
    rows = list(csv.DictReader(io.StringIO(as_csv(data))))
    assert as_csv(data).splitlines()[0] == ",".join(RESOURCE_FIELDS)
    assert len(rows) == len(data["resources"]) == len(page.rows)
    for row, expected in zip(rows, data["resources"], strict=True):
        assert row == {k: "" if expected[k] is None else str(expected[k]) for k in RESOURCE_FIELDS}
    cells = {tuple(r[:2]) for r in page.rows}  # type and id of every table row
    assert cells == {(r["type"], r["id"]) for r in rows}


def test_the_page_draws_one_bar_per_task_and_its_waits():
    data = data_of(a_destroy())
    page = read_page(render_html(data))
    assert len(page.bars) == len(page.tasks) == 3
    assert [t["data-state"] for t in page.tasks] == ["succeeded", "failed", "skipped"]
    assert len(page.waits) == 3
    assert all(float(b["width"]) >= 2 for b in page.bars)  # the skipped task shows too
    assert page.body.get("data-ready") is None  # the script sets it when it has run


def test_the_page_loads_nothing_and_escapes_user_data():
    html = render_html(data_of(a_destroy()))
    assert NASTY not in html and "<b>not allowed</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)  # user data has no "<" left: every tag is the page's
    assert not [
        t for t in tags if re.search(r"https?:|//|\b(src|href|srcset|action)\s*=|^<(link|img|iframe)", t)
    ]
    assert not re.search(r"https?:|@import|@font-face", STYLE + SCRIPT)
    assert re.findall(r"url\(([^)]*)\)", html) == ["#waiting"]
    assert "Content-Security-Policy" in html and "default-src &#x27;none&#x27;" in html
    page = read_page(html)
    assert page.scripts == 2  # the data (not run) and the sorting script
    assert NASTY in [row[2] for row in page.rows]  # shown as text, exactly


def test_ticks_are_round_and_reach_the_end():
    assert round_ticks(42) == [0, 10, 20, 30, 40, 50]
    assert round_ticks(8) == [0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert round_ticks(0.3) == [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]
    assert round_ticks(0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


@pytest.mark.parametrize(
    ("name", "fmt"), [("r.html", "html"), ("r.HTM", "html"), ("r.json", "json"), ("r.csv", "csv")]
)
def test_the_report_file_name_picks_the_format(tmp_path, name, fmt):
    assert format_of(tmp_path / name) == fmt


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("r.txt", "unknown report file type 'r.txt' (use .html, .json or .csv)"),
        ("report", "unknown report file type 'report'"),
        ("missing/r.html", "no directory"),
        ("folder.html", "is a directory"),
    ],
)
def test_a_report_file_that_cannot_be_written_is_refused(tmp_path, name, message):
    (tmp_path / "folder.html").mkdir()
    with pytest.raises(BadInputError, match=re.escape(message)):
        format_of(tmp_path / name)


def test_an_unknown_format_is_refused():
    with pytest.raises(BadInputError, match=re.escape("unknown report format 'xml' (use html, json, csv)")):
        run_report.render(data_of(a_destroy()), "xml")
