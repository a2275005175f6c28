"""Console rendering of stop/start plans and results, and of `status`."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from costzero.application.park_plan import ParkPlan, ParkResult
from costzero.domain.parking import Decision
from costzero.presentation.reports import summary_text
from costzero.presentation.views import print_failed_tasks

STATUS_FIELDS = ("type", "id", "name", "region", "state", "warning")


def print_park_plan(out: Console, plan: ParkPlan) -> None:
    table = Table(title=f"{plan.action.value} plan for account {plan.account} in {', '.join(plan.regions)}")
    for column in ("type", "resource", "decision", "before -> after / why"):
        table.add_column(column)
    for item in plan.reports:
        if item.decision is Decision.APPLY:
            before, after = item.before_after
            detail = ", ".join(f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in sorted(after))
        else:
            detail = item.reason
        table.add_row(item.resource.type_key, item.resource.label, item.decision.value, detail)
    out.print(table)
    for kept in plan.kept:
        out.print(f"  keep {kept.resource.type_key} {kept.resource.label}: {kept.reason}", highlight=False)
    out.print(f"{len(plan.changes)} resources to {plan.action.value}, {len(plan.kept)} kept.")


def print_park_result(out: Console, result: ParkResult) -> None:
    verb = "would change" if result.dry_run else "changed"
    counts = summary_text(result.outcomes)
    out.print(f"run {result.run_id} ({result.action}): {verb}: {counts}", highlight=False)
    print_failed_tasks(out, result)


def print_status(out: Console, rows: list[dict[str, Any]]) -> None:
    table = Table(title="status")
    for column in ("type", "id"):
        table.add_column(column, no_wrap=True)  # whole, so that they can be copied
    for column in ("name", "region", "state", "warning"):
        table.add_column(column, overflow="fold")
    for row in rows:
        name = row["name"] if row["name"] and row["name"] != row["id"] else ""
        table.add_row(row["type"], row["id"], name, row["region"], row["state"], row["warning"])
    out.print(table)
