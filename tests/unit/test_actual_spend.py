"""Actual spend beside the estimate: groupings Cost Explorer knows, periods it holds, the join per
tag, service and usage type, and the caveats that come with the numbers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from costzero.application.actual_spend import ActualSpend, SpendReport
from costzero.application.cleanup import DestroyRequest
from costzero.application.cost_inventory import Inventory
from costzero.application.costing import CostEstimator
from costzero.domain.costing import CostPart, Usage
from costzero.domain.errors import BadInputError, CloudError
from costzero.domain.pricing import PriceBook, PriceKey
from costzero.domain.resources import Resource
from costzero.domain.spend import SpendGrouping, SpendRow, earliest_day, spend_period
from costzero.domain.tasks import TaskKey
from tests.fakes.clock import FakeClock
from tests.fakes.pricing import FakePricer, FakePriceSource
from tests.fakes.spend import FakeSpendSource

NOW = datetime(2026, 3, 15, 12, tzinfo=UTC)
TODAY = NOW.date()
ACCOUNT = "111122223333"
BOX = Usage("AmazonEC2", "BoxUsage:t3.micro", "Hrs", 1)
GP3 = Usage("AmazonEC2", "EBS:VolumeUsage.gp3", "GB-Mo", 730, CostPart.STORAGE, monthly=True)  # $0.08/h
IPV4 = Usage("AmazonVPC", "PublicIPv4:InUseAddress", "Hrs", 1)
MYSTERY = Usage("AmazonEC2", "BoxUsage:x9.huge", "Hrs", 1)  # not in the book: unknown
BOOK = PriceBook(
    {
        PriceKey("AmazonEC2", "us-east-1", "BoxUsage:t3.micro", "Hrs"): 0.0104,
        PriceKey("AmazonEC2", "us-east-1", "EBS:VolumeUsage.gp3", "GB-Mo"): 0.08,
        PriceKey("AmazonVPC", "us-east-1", "PublicIPv4:InUseAddress", "Hrs"): 0.005,
    },
    NOW,
    "test",
)


def _resource(type_key: str, rid: str, tags: dict[str, str] | None = None) -> Resource:
    return Resource(type_key, rid, ACCOUNT, "us-east-1", tags=tags or {})


RESOURCES = [
    _resource("ec2:instance", "i-1", {"TEST_RUN_ID": "run-1"}),
    _resource("ec2:instance", "i-2", {"TEST_RUN_ID": "run-2"}),
    _resource("ec2:volume", "vol-1"),
]
PRICERS = {
    "ec2:instance": FakePricer({"i-1": [BOX, IPV4], "i-2": [BOX, MYSTERY]}),
    "ec2:volume": FakePricer(default=[GP3]),
}


class _Inventory:
    """What CostInventory answers: today's resources, priced."""

    def __init__(self, estimator: CostEstimator, failures: dict[TaskKey, str] | None = None) -> None:
        self.estimator = estimator
        self.failures = failures or {}
        self.asked = 0

    def inventory(self, request: DestroyRequest) -> Inventory:
        self.asked += 1
        return Inventory(ACCOUNT, ("us-east-1",), self.estimator.sheet(RESOURCES), self.failures)


def _use_case(
    rows: list[SpendRow], error: Exception | None = None
) -> tuple[ActualSpend, FakeSpendSource, _Inventory]:
    clock = FakeClock(NOW)
    estimator = CostEstimator(PRICERS, FakePriceSource(BOOK), clock)
    source = FakeSpendSource(rows, error, fetched_at=NOW)
    inventory = _Inventory(estimator)
    return ActualSpend(source, inventory, PRICERS, estimator, clock), source, inventory  # type: ignore[arg-type]


REQUEST = DestroyRequest(regions=("us-east-1",))


def _report(rows: list[SpendRow], group_by: str, since: str = "2026-03-01", **more: object) -> SpendReport:
    use_case, _, _ = _use_case(rows)
    return use_case.report(REQUEST, since=since, group_by=group_by, **more)  # type: ignore[arg-type]


def _line(report: SpendReport, group: str):
    return next(line for line in report.lines if line.group == group)


# --- groupings and periods --------------------------------------------------------------------


def test_groupings_are_cost_explorer_dimensions_or_tag_keys():
    assert SpendGrouping.of("service") == SpendGrouping("DIMENSION", "SERVICE")
    assert SpendGrouping.of("account") == SpendGrouping("DIMENSION", "LINKED_ACCOUNT")
    assert SpendGrouping.of("usage-type").group_by == "usage-type"
    tag = SpendGrouping.of("tag:TEST_RUN_ID")
    assert (tag.kind, tag.key, tag.group_by) == ("TAG", "TEST_RUN_ID", "tag:TEST_RUN_ID")
    assert tag.group_name("TEST_RUN_ID$baseline-256mb") == "baseline-256mb"
    assert tag.group_name("TEST_RUN_ID$") == "(no TEST_RUN_ID tag)"  # as `cost -g tag:KEY` names it
    assert SpendGrouping.of("region").group_name("eu-west-1") == "eu-west-1"


@pytest.mark.parametrize("word", ["type", "tag:", "colour"])
def test_a_grouping_cost_explorer_lacks_is_one_line(word):
    with pytest.raises(BadInputError, match="cannot group actual spend by") as error:
        SpendGrouping.of(word)
    assert "\n" not in str(error.value)


def test_cost_explorer_holds_thirteen_months_before_the_current_one():
    assert earliest_day(date(2026, 3, 15)) == date(2025, 2, 1)
    assert earliest_day(date(2026, 1, 1)) == date(2024, 12, 1)
    assert earliest_day(date(2026, 12, 31)) == date(2025, 11, 1)


def test_the_period_ends_before_until_which_defaults_to_today():
    assert spend_period("2026-03-01", None, TODAY) == (date(2026, 3, 1), TODAY)
    assert spend_period("2025-02-01", "2025-03-01", TODAY) == (date(2025, 2, 1), date(2025, 3, 1))
    assert spend_period(date(2026, 3, 14), None, TODAY) == (date(2026, 3, 14), TODAY)


@pytest.mark.parametrize(
    ("since", "until", "says"),
    [
        ("2026-03-16", None, "in the future"),
        ("2025-01-31", None, "older than Cost Explorer's history"),
        ("2026-03-01", "2026-03-16", "after today"),
        ("2026-03-15", None, "must be after --since"),
        ("2026-03-10", "2026-03-10", "must be after --since"),
        ("2026-13-01", None, "--since '2026-13-01' is not a date"),
        ("2026-03-01", "yesterday", "--until 'yesterday' is not a date"),
    ],
)
def test_a_bad_period_is_refused_in_one_line_before_any_request(since, until, says):
    use_case, source, inventory = _use_case([])
    with pytest.raises(BadInputError, match=says) as error:
        use_case.report(REQUEST, since=since, until=until, group_by="service")
    assert "\n" not in str(error.value)
    assert source.calls == [] and inventory.asked == 0


def test_a_bad_grouping_is_refused_before_any_request():
    use_case, source, _ = _use_case([])
    with pytest.raises(BadInputError):
        use_case.report(REQUEST, since="2026-03-01", group_by="type")
    assert source.calls == []


def test_a_refusal_of_cost_explorer_comes_before_the_listing():
    use_case, _, inventory = _use_case([], CloudError("Cost Explorer refused: AccessDeniedException"))
    with pytest.raises(CloudError, match="AccessDenied"):
        use_case.report(REQUEST, since="2026-03-01")
    assert inventory.asked == 0


# --- the join ----------------------------------------------------------------------------------


def test_by_tag_each_run_shows_what_it_cost_beside_its_estimate():
    rows = [
        SpendRow("run-1", 5.0, estimated=True),
        SpendRow("(no TEST_RUN_ID tag)", 2.0),
        SpendRow("run-0", 3.0),  # a run whose resources are gone
    ]
    report = _report(rows, "tag:TEST_RUN_ID", since="2026-03-05")
    hours = 10 * 24
    assert report.hours == hours and report.spend.days == 10
    run1 = _line(report, "run-1")
    assert run1.actual == 5.0 and run1.estimated and run1.resources == 1 and run1.unknown == 0
    assert run1.usd_per_hour == pytest.approx(0.0104 + 0.005)
    assert run1.estimate == pytest.approx((0.0104 + 0.005) * hours)
    assert run1.difference == pytest.approx(5.0 - (0.0104 + 0.005) * hours)
    gone = _line(report, "run-0")
    assert gone.actual == 3.0 and gone.estimate is None and gone.difference is None and gone.resources == 0
    run2 = _line(report, "run-2")  # runs now, nothing billed yet (or tag not active)
    assert run2.actual is None and run2.unknown == 1 and run2.estimate == pytest.approx(0.0104 * hours)
    untagged = _line(report, "(no TEST_RUN_ID tag)")
    assert untagged.actual == 2.0 and untagged.usd_per_hour == pytest.approx(0.08)
    assert [line.group for line in report.lines][:3] == ["run-1", "run-0", "(no TEST_RUN_ID tag)"]
    assert report.actual == 10.0
    assert report.estimate == pytest.approx((0.0104 * 2 + 0.005 + 0.08) * hours)


def test_by_service_cost_explorer_names_join_the_price_list_codes():
    rows = [
        SpendRow("Amazon Elastic Compute Cloud - Compute", 10.0),
        SpendRow("EC2 - Other", 4.0),
        SpendRow("AWS Config", 1.0),  # no supported type bills under it: not mapped
        SpendRow("Amazon Virtual Private Cloud", 0.5),
    ]
    report = _report(rows, "service")
    ec2 = _line(report, "AmazonEC2")
    assert ec2.actual == 14.0
    assert ec2.aws_names == ("Amazon Elastic Compute Cloud - Compute", "EC2 - Other")
    assert ec2.usd_per_hour == pytest.approx(0.0104 * 2 + 0.08)  # both instances' hours and the volume
    assert ec2.resources == 3 and ec2.unknown == 1  # i-2's x9.huge hours
    vpc = _line(report, "AmazonVPC")
    assert vpc.actual == 0.5 and vpc.usd_per_hour == pytest.approx(0.005) and vpc.resources == 1
    config = _line(report, "AWS Config")
    assert config.actual == 1.0 and config.estimate is None and config.aws_names == ()
    assert any("service names are joined" in c for c in report.caveats)


def test_by_usage_type_the_region_prefix_is_dropped_and_regions_add_up():
    rows = [
        SpendRow("BoxUsage:t3.micro", 2.0),
        SpendRow("EUC1-BoxUsage:t3.micro", 1.0),
        SpendRow("USE1-DataTransfer-Out-Bytes", 0.25),
    ]
    report = _report(rows, "usage-type")
    box = _line(report, "BoxUsage:t3.micro")
    assert box.actual == 3.0 and box.aws_names == ("EUC1-BoxUsage:t3.micro",)
    assert box.usd_per_hour == pytest.approx(0.0104 * 2) and box.resources == 2
    assert _line(report, "DataTransfer-Out-Bytes").estimate is None
    mystery = _line(report, "BoxUsage:x9.huge")
    assert mystery.actual is None and mystery.unknown == 1 and mystery.usd_per_hour == 0
    assert any("without their region prefix" in c for c in report.caveats)


def test_the_estimate_by_usage_adds_up_to_the_sheet():
    report = _report([], "service")
    assert sum(line.usd_per_hour or 0 for line in report.lines) == pytest.approx(report.estimate_rate.hourly)
    report = _report([], "region")
    assert [(line.group, line.resources) for line in report.lines] == [("us-east-1", 3)]


def test_caveats_say_what_the_numbers_leave_out():
    report = _report([SpendRow("run-1", 5.0, estimated=True)], "tag:TEST_RUN_ID")
    text = " | ".join(report.caveats)
    assert "cost allocation tags must be activated" in text and "'(no TEST_RUN_ID tag)'" in text
    assert "lags about a day" in text
    assert "may still change" in text  # an estimated figure
    assert "$0.01" in text and "--refresh" in text and "1 request(s), $0.01" in text
    assert "if they ran all period (336 h)" in text
    assert "every service and region billed to the account" in text and "us-east-1" in text
    assert "1 resources have a dimension with no known price" in text
    by_region = " | ".join(_report([SpendRow("us-east-1", 1.0)], "region").caveats)
    assert "cost allocation tags" not in by_region and "may still change" not in by_region


def test_the_document_is_plain_json_with_its_caveats():
    report = _report([SpendRow("run-1", 5.0)], "tag:TEST_RUN_ID", until="2026-03-10")
    document = json.loads(json.dumps(report.as_dict()))
    assert document["period"] == {
        "start": "2026-03-01",
        "end": "2026-03-10",
        "end_exclusive": True,
        "days": 9,
        "hours": 216,
    }
    assert document["group_by"] == "tag:TEST_RUN_ID" and document["caveats"] == list(report.caveats)
    assert document["actual"]["usd"] == 5.0 and document["actual"]["cached"] is False
    assert document["estimate"]["meaning"].startswith("if today's resources ran all period")
    assert {g["group"] for g in document["groups"]} == {"run-1", "run-2", "(no TEST_RUN_ID tag)"}
