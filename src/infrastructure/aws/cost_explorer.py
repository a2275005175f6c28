"""Actual spend from AWS Cost Explorer: ce:GetCostAndUsage, UnblendedCost per group and month.

Cost Explorer has one endpoint (us-east-1) for every region. Each request, each page included, costs
$0.01, so `cost_explorer_source` puts the per-day cache (`spend_cache.DailySpendCache`) in front.
A request has one GroupBy (AWS allows two): a DIMENSION (SERVICE, REGION, LINKED_ACCOUNT,
USAGE_TYPE) or a TAG key, whose groups come back as "KEY$value" ("KEY$" for untagged spend).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.application.ports import Clock
from costzero.domain.errors import BadInputError, CloudError
from costzero.domain.spend import Spend, SpendGrouping, SpendRow
from costzero.infrastructure.aws.errors import error_code, error_message, translate
from costzero.infrastructure.aws.handler_kit.base import ClientSource
from costzero.infrastructure.spend_cache import DailySpendCache, default_directory

ENDPOINT_REGION = "us-east-1"
METRIC = "UnblendedCost"
GRANULARITY = "MONTHLY"  # one period per calendar month (partial at both ends); DAILY is 30x the rows
MAX_PAGES = 50  # $0.50: a request that pages further is refused rather than paid on and on

_DENIED = {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException"}
_REFUSALS = {
    "DataUnavailableException": "Cost Explorer has no data for this account and period yet "
    "(it starts about 24 hours after Cost Explorer is first opened in the Billing console)",
    "BillExpirationException": "Cost Explorer no longer holds the bills of this period",
    "LimitExceededException": "Cost Explorer's request rate was exceeded; try again in a minute",
    "RequestChangedException": "Cost Explorer's paging broke off (the request changed between pages); "
    "run the command again",
    "InvalidNextTokenException": "Cost Explorer's paging broke off (its page token expired); "
    "run the command again",
    "BillingViewHealthStatusException": "Cost Explorer's billing view is not healthy; try again later",
}


def request_of(
    start: date, end: date, grouping: SpendGrouping, granularity: str = GRANULARITY
) -> dict[str, Any]:
    """The GetCostAndUsage parameters of one request (without its page token)."""
    return {
        "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},  # End is exclusive
        "Granularity": granularity,
        "Metrics": [METRIC],
        "GroupBy": [{"Type": grouping.kind, "Key": grouping.key}],
    }


class CostExplorerSpend:
    """SpendSource over ce:GetCostAndUsage: every page, summed per group over the period's months."""

    def __init__(self, clients: ClientSource, clock: Clock, granularity: str = GRANULARITY) -> None:
        self._clients = clients
        self._clock = clock
        self._granularity = granularity

    def spend(self, start: date, end: date, grouping: SpendGrouping, refresh: bool = False) -> Spend:
        """`refresh` is the cache's business: this source always asks."""
        client = self._clients.client("self", ENDPOINT_REGION, "ce")
        request = request_of(start, end, grouping, self._granularity)
        sums: dict[tuple[str, str], list[Any]] = {}  # (group, unit) -> [amount, estimated]
        pages = 0
        token: str | None = None
        while True:
            if pages == MAX_PAGES:
                raise CloudError(
                    f"Cost Explorer answered in more than {MAX_PAGES} pages; ask for a shorter period"
                )
            try:
                page = client.get_cost_and_usage(**request, **({"NextPageToken": token} if token else {}))
            except (ClientError, BotoCoreError) as error:
                raise refusal(error) from None
            pages += 1
            for period in page.get("ResultsByTime", []):
                estimated = bool(period.get("Estimated", False))
                for group in period.get("Groups", []):
                    keys = group.get("Keys") or [""]
                    metric = group.get("Metrics", {}).get(METRIC, {})
                    unit = str(metric.get("Unit") or "USD")
                    entry = sums.setdefault((grouping.group_name(str(keys[0])), unit), [0.0, False])
                    entry[0] += float(metric.get("Amount") or 0)
                    entry[1] = entry[1] or estimated
            token = page.get("NextPageToken") or None
            if token is None:
                break
        rows = tuple(
            SpendRow(name, amount, unit, estimated)
            for (name, unit), (amount, estimated) in sorted(
                sums.items(), key=lambda item: (-item[1][0], item[0])
            )
        )
        return Spend(start, end, grouping, rows, self._clock.now(), requests=pages)


def refusal(error: Exception) -> Exception:
    """One line for what Cost Explorer refuses; the rest as every adapter translates it."""
    if isinstance(error, ClientError):
        code = error_code(error)
        if code in _DENIED:
            return CloudError(
                f"Cost Explorer refused: {error_message(error)} (the caller needs the IAM permission "
                "ce:GetCostAndUsage; a member account of an organization also needs Cost Explorer access "
                "granted by the management account)"
            )
        if code == "BillExpirationException":
            return BadInputError(f"{_REFUSALS[code]} ({error_message(error)}): ask for a later --since")
        if code in _REFUSALS:
            return CloudError(f"{_REFUSALS[code]} ({code})")
        if code == "ValidationException":
            return BadInputError(f"Cost Explorer refused the request: {error_message(error)}")
    return translate(error)


def cost_explorer_source(
    clients: ClientSource,
    clock: Clock,
    account: Callable[[], str],
    endpoint_url: str | None = None,
    directory: Path | None = None,
) -> DailySpendCache:
    """Cost Explorer behind the day's cache, kept apart per account and endpoint."""
    return DailySpendCache(
        CostExplorerSpend(clients, clock),
        clock,
        directory or default_directory(),
        scope=lambda: f"{account()}@{endpoint_url or 'aws'}",
    )
