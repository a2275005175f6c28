"""`cost --actual` on screen and in documents: actual spend beside the estimate, with its caveats."""

from __future__ import annotations

from datetime import timedelta

from rich.console import Console
from rich.table import Table

from costzero.application.actual_spend import SpendLine, SpendReport
from costzero.presentation.cost_views import usd
from costzero.presentation.output import err, human, write_csv, write_json

SPEND_FIELDS = (
    "group",
    "actual_usd",
    "estimate_usd",
    "difference_usd",
    "estimate_usd_per_hour",
    "resources",
    "unknown",
    "estimated",
    "aws_names",
)


def show_spend(report: SpendReport, output: str) -> None:
    """One JSON document (caveats inside), or a CSV of the groups, or the table; the caveats go to
    stderr except in the JSON document."""
    if output == "json":
        write_json(report.as_dict())
    elif output == "csv":
        write_csv([line.as_dict() for line in report.lines], SPEND_FIELDS)
    else:
        print_spend(human(output), report)
    for key, reason in sorted(report.failures.items(), key=lambda item: str(item[0])):
        err.print(f"warning: {key} not listed, its estimate is missing: {reason}", highlight=False)
    if output != "json":
        for caveat in report.caveats:
            err.print(f"note: {caveat}", highlight=False, soft_wrap=True)


def print_spend(out: Console, report: SpendReport) -> None:
    spend = report.spend
    last = spend.end - timedelta(days=1)
    table = Table(
        title=f"actual spend of account {report.account}, {spend.start} to {last} "
        f"({spend.days} days), by {report.group_by}"
    )
    table.add_column(report.group_by, overflow="fold", min_width=12)
    for column in ("actual", "estimate, all period", "difference", "resources"):
        table.add_column(column, justify="right")
    for line in report.lines:
        table.add_row(
            line.group,
            _actual(line.actual, line.estimated),
            _estimate(line),
            _signed(line.difference),
            str(line.resources or ""),
        )
    rate = report.estimate_rate
    table.add_row(
        "[b]total[/b]",
        _actual(report.actual, spend.estimated),
        usd(report.estimate, rate.unknown),
        _signed(report.actual - report.estimate),
        str(rate.resources),
    )
    out.print(table)
    if spend.cached:
        source = f"cached answer fetched {spend.fetched_at:%Y-%m-%d %H:%M} UTC (--refresh asks again, $0.01)"
    else:
        source = f"fetched now: {spend.requests} request(s), ${spend.requests * 0.01:.2f}"
    notes = [
        f"actual: Cost Explorer, unblended cost; {source}",
        f"estimate, all period: today's resources as if they ran all {report.hours} h of it at today's "
        f"on-demand prices ({report.prices.source})",
    ]
    if rate.unknown:
        notes.append("+ ?: a resource in the group has a dimension with no known price")
    if spend.estimated:
        notes.append("*: estimated by AWS, may still change")
    for note in notes:
        out.print(note, highlight=False, style="dim", soft_wrap=True)


def _actual(value: float | None, estimated: bool) -> str:
    if value is None:
        return "-"
    return usd(value) + (" *" if estimated else "")


def _estimate(line: SpendLine) -> str:
    if line.estimate is None:
        return "not listed"
    return usd(line.estimate, line.unknown)


def _signed(value: float | None) -> str:
    if value is None:
        return ""
    return f"-{usd(-value)}" if value < 0 else f"+{usd(value)}"
