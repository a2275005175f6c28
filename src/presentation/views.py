"""Console rendering shared by the CLI and the demo: plans, results and the live run view."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

from rich.console import Console
from rich.live import Live
from rich.table import Table

from costzero.application.cleanup import CleanupResult, DestroyPlan
from costzero.application.park_plan import ParkResult
from costzero.domain.safety import SafetyPolicy
from costzero.presentation.interrupts import EXIT_INTERRUPTED, graceful_stop, resume_hint
from costzero.presentation.live import LiveRunView
from costzero.presentation.output import write_csv, write_json
from costzero.presentation.reports import OUTCOME_FIELDS, resource_outcomes, result_as_dict
from costzero.presentation.sdk import CostZero

EXIT_OK, EXIT_LEFT = 0, 1
T = TypeVar("T")
RunResult = CleanupResult | ParkResult


def print_plan(out: Console, plan: DestroyPlan) -> None:
    table = Table(title=f"destroy plan for account {plan.account} in {', '.join(plan.regions)}")
    for column in ("stage", "task", "count", "would delete"):
        table.add_column(column)
    for stage in plan.pipeline.stages:
        for key in stage.tasks:
            resources = plan.pipeline.resources.get(key, [])
            if not resources and key not in plan.failures:
                continue
            names = ", ".join(r.label for r in resources[:4]) + (" ..." if len(resources) > 4 else "")
            if key in plan.failures:
                names = f"[red]{plan.failures[key]}[/red]"
            table.add_row(str(stage.index), str(key), str(len(resources)), names)
    out.print(table)
    for kept in plan.kept:
        out.print(f"  keep {kept.resource.type_key} {kept.resource.label}: {kept.reason}", highlight=False)
    for held in plan.blocked:
        out.print(
            f"  [red]blocked[/red] {held.resource.type_key} {held.resource.label}: {held.reason}",
            highlight=False,
        )
    blocked = f", {len(plan.blocked)} blocked by what stays" if plan.blocked else ""
    out.print(f"{len(plan.targets)} resources would be deleted, {len(plan.kept)} kept{blocked}.")


def warn_blast_radius(err: Console, policy: SafetyPolicy, count: int) -> None:
    """Plans and dry runs say, on stderr, that a real run would be refused by --max-resources."""
    refusal = policy.blast_radius_refusal(count)
    if refusal is not None:
        err.print(f"warning: a real run would be refused: {refusal}", highlight=False, soft_wrap=True)


def print_result(out: Console, result: CleanupResult) -> None:
    verb = "would delete" if result.dry_run else "deleted"
    count = result.outcomes.get("would-delete", 0) if result.dry_run else result.deleted
    out.print(f"run {result.run_id}: {verb} {count} of {result.planned} resources; kept {result.kept}.")
    for key, state in sorted(result.task_states.items()):
        if state in ("failed", "blocked"):
            out.print(f"  [red]{state}[/red] {key}: {result.task_reasons.get(key, '')}", highlight=False)
    left = {k: n for k, n in result.outcomes.items() if k in ("protected", "failed", "denied", "blocked")}
    if left:
        out.print("  left: " + ", ".join(f"{k} {n}" for k, n in sorted(left.items())))
    if result.interrupted:
        sys.stderr.write(resume_hint(result.run_id) + "\n")


def exit_code(result: CleanupResult) -> int:
    if result.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_OK if result.ok else EXIT_LEFT


def write_run_document(sdk: CostZero, output: str, plan: dict[str, Any], result: RunResult) -> None:
    """With `-o json` or `csv`, the one document on stdout: the plan and the run's outcomes."""
    if output == "table":
        return
    run = sdk.run(result.run_id)
    if output == "json":
        write_json({"plan": plan, "result": result_as_dict(result, run)})
    else:
        write_csv(resource_outcomes(run), OUTCOME_FIELDS)


def run_with_view(
    console: Console, sdk: CostZero, run: Callable[[], T], *, live: bool, doing: str, total: int
) -> T:
    """`run()`, with the live view on `console` while it runs (a real run with `live` only); the
    first Ctrl-C or SIGTERM stops it gracefully, a second aborts (see interrupts)."""
    if not live:
        with graceful_stop(sdk):
            return run()
    view = LiveRunView(doing, total)
    unsubscribe = sdk.subscribe(view)
    try:
        # Rich redraws from view.render() on its own thread; events only update the view's state.
        with (
            graceful_stop(sdk),
            Live(console=console, refresh_per_second=6, get_renderable=view.render, transient=False),
        ):
            result = run()
    finally:
        unsubscribe()
    console.print()
    return result
