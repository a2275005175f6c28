"""Console rendering of stop/start plans and results, and of `status`."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from costzero.application.park_plan import ParkPlan, ParkResult
from costzero.domain.parking import Decision
from costzero.domain.resources import Action
from costzero.presentation.cost_views import rate, usd
from costzero.presentation.reports import summary_text
from costzero.presentation.views import print_failed_tasks, print_plan_cost

STATUS_FIELDS = (
    "type",
    "id",
    "name",
    "region",
    "state",
    "usd_per_hour",
    "compute_usd_per_hour",
    "storage_usd_per_hour",
    "warning",
)


def print_park_plan(out: Console, plan: ParkPlan) -> None:
    table = Table(title=f"{plan.action.value} plan for account {plan.account} in {', '.join(plan.regions)}")
    for column in ("type", "resource", "decision", "$/hour", "before -> after / why"):
        table.add_column(column, justify="right" if column == "$/hour" else "left")
    for item in plan.reports:
        if item.decision is Decision.APPLY:
            before, after = item.before_after
            detail = ", ".join(f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in sorted(after))
        else:
            detail = item.reason
        cost = plan.costs.get(item.resource.ref) if plan.costs is not None else None
        price = usd(cost.hourly, not cost.known) if cost is not None else ""
        table.add_row(item.resource.type_key, item.resource.label, item.decision.value, price, detail)
    out.print(table)
    for kept in plan.kept:
        out.print(f"  keep {kept.resource.type_key} {kept.resource.label}: {kept.reason}", highlight=False)
    out.print(f"{len(plan.changes)} resources to {plan.action.value}, {len(plan.kept)} kept.")
    if plan.costs is not None and plan.action is Action.STOP:
        print_plan_cost(out, plan.costs, plan.action, [i.resource for i in plan.changes])


def print_park_result(out: Console, result: ParkResult) -> None:
    verb = "would change" if result.dry_run else "changed"
    counts = summary_text(result.outcomes)
    out.print(f"run {result.run_id} ({result.action}): {verb}: {counts}", highlight=False)
    print_failed_tasks(out, result)


def print_status(out: Console, rows: list[dict[str, Any]]) -> None:
    table = Table(title="status")
    for column in ("type", "id"):
        table.add_column(column, no_wrap=True)  # whole, so that they can be copied
    for column in ("name", "region", "state", "$/hour now", "stop saves", "warning"):
        table.add_column(column, overflow="fold")
    for row in rows:
        name = row["name"] if row["name"] and row["name"] != row["id"] else ""
        now, saves = "", ""
        if row.get("usd_per_hour") is not None:
            now = usd(row["usd_per_hour"], not row["known"])
            saves = usd(row["compute_usd_per_hour"], not row["known"])
        table.add_row(row["type"], row["id"], name, row["region"], row["state"], now, saves, row["warning"])
    out.print(table)
    priced = [r for r in rows if r.get("usd_per_hour") is not None]
    if priced:
        hourly = sum(r["usd_per_hour"] for r in priced)
        compute = sum(r["compute_usd_per_hour"] for r in priced)
        unknown = sum(1 for r in priced if not r["known"])
        out.print(
            f"costs now {rate(hourly, unknown)}; a stop would save {rate(compute, unknown)} "
            f"(storage keeps billing: {rate(hourly - compute, unknown)})",
            highlight=False,
        )
