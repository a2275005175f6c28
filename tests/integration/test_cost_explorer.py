"""The Cost Explorer adapter against the moto server, and against botocore's Stubber where moto
cannot stand in for AWS.

moto tracks no cost: it answers GetCostAndUsage with results a test queues first
(POST /moto-api/static/ce/cost-and-usage-results), each bound to the first request body that takes
it. It validates nothing and never refuses, so the exact request parameters and AWS's refusals
(AccessDeniedException, DataUnavailableException, BillExpirationException, ValidationException,
LimitExceededException) are shown with the Stubber.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from costzero.domain.errors import BadInputError, CloudError
from costzero.domain.spend import SpendGrouping
from costzero.infrastructure.aws.cost_explorer import CostExplorerSpend, cost_explorer_source
from tests.fakes.clock import FakeClock
from tests.integration.cost_explorer_results import group, month, queue
from tests.integration.stubs import StubbedClients

START, END = date(2026, 1, 15), date(2026, 3, 1)
BY_RUN = SpendGrouping.of("tag:TEST_RUN_ID")
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


# two pages: January, then February (not final yet), as AWS pages a long answer
FIRST_PAGE = {
    "GroupDefinitions": [{"Type": "TAG", "Key": "TEST_RUN_ID"}],
    "ResultsByTime": [
        month(
            "2026-01-15",
            "2026-02-01",
            [group("TEST_RUN_ID$baseline-256mb", "12.5"), group("TEST_RUN_ID$", "1.25")],
        )
    ],
    "NextPageToken": "page-2",
}
SECOND_PAGE = {
    "GroupDefinitions": [{"Type": "TAG", "Key": "TEST_RUN_ID"}],
    "ResultsByTime": [
        month(
            "2026-02-01",
            "2026-03-01",
            [group("TEST_RUN_ID$baseline-256mb", "7.5"), group("TEST_RUN_ID$tuned-512mb", "30")],
            estimated=True,
        )
    ],
}


def test_every_page_is_read_and_each_run_summed_over_the_months(moto_server, aws):
    queue(moto_server.endpoint_url, FIRST_PAGE, SECOND_PAGE)
    spend = CostExplorerSpend(aws, FakeClock(NOW)).spend(START, END, BY_RUN)
    assert spend.requests == 2
    assert [(r.group, r.amount, r.estimated) for r in spend.rows] == [
        ("tuned-512mb", 30.0, True),
        ("baseline-256mb", 20.0, True),
        ("(no TEST_RUN_ID tag)", 1.25, False),
    ]
    assert spend.total == 51.25 and spend.estimated and spend.fetched_at == NOW
    assert (spend.start, spend.end, spend.grouping) == (START, END, BY_RUN)


def test_an_account_without_spend_answers_no_rows(moto_server, aws):
    spend = CostExplorerSpend(aws, FakeClock(NOW)).spend(START, END, SpendGrouping.of("service"))
    assert spend.rows == () and spend.total == 0 and spend.requests == 1


def test_the_days_answer_is_kept_and_refresh_asks_again(moto_server, aws, tmp_path):
    queue(
        moto_server.endpoint_url,
        {"ResultsByTime": [month("2026-01-15", "2026-03-01", [group("TEST_RUN_ID$a", "3")])]},
    )
    source = cost_explorer_source(aws, FakeClock(NOW), aws.caller_account, moto_server.endpoint_url, tmp_path)
    assert source.spend(START, END, BY_RUN).total == 3.0
    moto_server.reset()  # moto forgets its answer: only the cache still knows it
    cached = source.spend(START, END, BY_RUN)
    assert cached.cached and cached.total == 3.0
    fresh = source.spend(START, END, BY_RUN, refresh=True)
    assert not fresh.cached and fresh.rows == ()


# --- what moto does not reproduce: botocore's Stubber ------------------------------------------


def test_the_request_is_one_grouping_of_unblended_cost_per_month_with_every_page():
    stub = StubbedClients("ce")
    expected = {
        "TimePeriod": {"Start": "2026-01-15", "End": "2026-03-01"},
        "Granularity": "MONTHLY",
        "Metrics": ["UnblendedCost"],
        "GroupBy": [{"Type": "DIMENSION", "Key": "USAGE_TYPE"}],
    }
    stub.reply("get_cost_and_usage", {"ResultsByTime": [], "NextPageToken": "t-2"}, expected)
    stub.reply("get_cost_and_usage", {"ResultsByTime": []}, {**expected, "NextPageToken": "t-2"})
    spend = CostExplorerSpend(stub, FakeClock(NOW)).spend(START, END, SpendGrouping.of("usage-type"))
    assert spend.requests == 2
    stub.stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("code", "error", "says"),
    [
        ("AccessDeniedException", CloudError, "ce:GetCostAndUsage"),
        ("DataUnavailableException", CloudError, "no data for this account and period yet"),
        ("BillExpirationException", BadInputError, "later --since"),
        ("ValidationException", BadInputError, "refused the request: ValidationException"),
        ("LimitExceededException", CloudError, "request rate was exceeded"),
        ("RequestChangedException", CloudError, "run the command again"),
    ],
)
def test_a_refusal_is_one_line_that_says_what_to_do(code, error, says):
    stub = StubbedClients("ce")
    stub.error("get_cost_and_usage", code, "the service says no")
    with pytest.raises(error, match=says) as raised:
        CostExplorerSpend(stub, FakeClock(NOW)).spend(START, END, BY_RUN)
    assert "\n" not in str(raised.value)
