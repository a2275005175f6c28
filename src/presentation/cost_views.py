"""Dollars on screen and in documents: cost sheets, their groups, top resources and savings."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rich.console import Console
from rich.table import Table

from costzero.domain.costing import CostSheet, ResourceCost, Savings, group_key
from costzero.domain.resources import Action

COST_FIELDS = (
    "group",
    "type",
    "id",
    "name",
    "account",
    "region",
    "usd_per_hour",
    "usd_per_month",
    "compute_usd_per_hour",
    "storage_usd_per_hour",
    "known",
    "unknown",
    "free",
)


def usd(value: float, unknown: int | bool = 0) -> str:
    """$0.0104 (small rates keep 4 decimals), $12.34, with '+ ?' when part could not be priced."""
    if value == 0:
        text = "$0"
    elif value < 0.0001:
        text = "<$0.0001"  # a small bucket's storage: not nothing, not worth digits
    else:
        text = f"${value:,.4f}" if value < 1 else f"${value:,.2f}"
    return f"{text} + ?" if unknown else text


def rate(hourly: float, unknown: int | bool = 0) -> str:
    """'$0.0104/h ($7.59/mo)'"""
    return f"{usd(hourly, unknown)}/h ({usd(hourly * 730, unknown)}/mo)"


def cost_cell(cost: ResourceCost | None) -> str:
    if cost is None:
        return "?"
    if cost.free and not cost.hourly:
        return "$0"
    return rate(cost.hourly, not cost.known)


def price_note(sheet: CostSheet) -> str:
    when = sheet.prices.generated_at.date().isoformat() if sheet.prices.generated_at else "never"
    return f"prices: {sheet.prices.source} ({when}); 730 h a month; '?' = no price known"


def warn_prices(err: Console, sheet: CostSheet) -> None:
    if sheet.prices.warning:
        err.print(f"warning: {sheet.prices.warning}", highlight=False, soft_wrap=True)
    unknown = sheet.total().unknown
    if unknown:
        err.print(
            f"note: {unknown} resources have a dimension with no known price; their cost is a lower bound",
            highlight=False,
            soft_wrap=True,
        )


def savings_line(savings: Savings, dry_run: bool = True) -> str:
    """'would save $0.05/h ($36.50/mo); still billed after: $0.01/h ($8.00/mo) (storage)'"""
    verb = "would save" if dry_run else "saves"
    line = f"{verb} {rate(savings.saved.hourly, savings.saved.unknown)}"
    if savings.action is Action.STOP:
        still = savings.still_billed
        line += f" in compute; storage still billed: {rate(still.hourly, still.unknown)}"
    return line


def cost_rows(sheet: CostSheet, group_by: str | None = None) -> list[dict[str, Any]]:
    """One row per resource (the CSV of `cost`), with its group when grouped."""
    key = group_key(group_by) if group_by else None
    return [
        {**c.as_row(), "group": key(c.resource) if key else ""}
        for c in sorted(sheet.items, key=lambda c: (-c.hourly, c.resource.type_key, c.resource.id))
    ]


def sheet_document(sheet: CostSheet, group_by: str, top: int = 10) -> dict[str, Any]:
    return {
        "prices": {
            "source": sheet.prices.source,
            "generated_at": sheet.prices.generated_at.isoformat() if sheet.prices.generated_at else None,
            "warning": sheet.prices.warning or None,
            "hours_per_month": 730,
        },
        "total": sheet.total().as_dict(),
        "group_by": group_by,
        "groups": [{"group": name, **t.as_dict()} for name, t in sheet.grouped(group_by).items()],
        "top": [c.as_row() for c in sheet.top(top)],
        "resources": cost_rows(sheet, group_by),
    }


def savings_dict(savings: Savings) -> dict[str, Any]:
    return {
        "action": str(savings.action),
        "saves": savings.saved.as_dict(),
        "still_billed": savings.still_billed.as_dict(),
    }


def print_sheet(out: Console, sheet: CostSheet, group_by: str, top: int = 10, title: str = "cost") -> None:
    total = sheet.total()
    table = Table(title=f"{title} by {group_by}")
    for column in (group_by, "resources", "$/hour", "$/month", "not priced"):
        table.add_column(column, justify="left" if column == group_by else "right")
    for name, t in sheet.grouped(group_by).items():
        table.add_row(
            name, str(t.resources), usd(t.hourly, t.unknown), usd(t.monthly, t.unknown), str(t.unknown or "")
        )
    table.add_row(
        "[b]total[/b]",
        str(total.resources),
        usd(total.hourly, total.unknown),
        usd(total.monthly, total.unknown),
        str(total.unknown or ""),
    )
    out.print(table)
    ranked = sheet.top(top)
    if ranked:
        print_resources(out, ranked, f"the {len(ranked)} most expensive resources")
    out.print(price_note(sheet), highlight=False, style="dim")


def print_resources(out: Console, costs: Collection[ResourceCost], title: str) -> None:
    table = Table(title=title)
    for column in ("type", "id", "region", "$/hour", "$/month", "compute / storage", "not priced"):
        table.add_column(column, overflow="fold")
    for c in costs:
        table.add_row(
            c.resource.type_key,
            c.resource.label,
            c.resource.region,
            usd(c.hourly, not c.known),
            usd(c.monthly, not c.known),
            f"{usd(c.compute)} / {usd(c.storage)}",
            ", ".join(u.note or u.usage_type for u in c.unknown),
        )
    out.print(table)
