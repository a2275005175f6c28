"""Console rendering shared by the CLI and the demo: plans, results and the live run view."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from costzero.application.cleanup import DestroyPlan
from costzero.application.final_snapshots import FinalSnapshots
from costzero.application.run_lifecycle import RunResult
from costzero.domain.costing import CostSheet
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Action, Resource
from costzero.domain.safety import SafetyPolicy
from costzero.presentation.cost_views import price_note, rate, savings_line, usd
from costzero.presentation.interrupts import EXIT_INTERRUPTED, graceful_stop, resume_hint
from costzero.presentation.live import LiveRunView
from costzero.presentation.output import write_csv, write_json
from costzero.presentation.reports import OUTCOME_FIELDS, resource_outcomes, result_as_dict
from costzero.presentation.sdk import CostZero

EXIT_OK, EXIT_LEFT = 0, 1


def print_plan(out: Console, plan: DestroyPlan) -> None:
    table = Table(title=f"destroy plan for account {plan.account} in {', '.join(plan.regions)}")
    for column in ("stage", "task", "count", "$/hour", "would delete"):
        table.add_column(column, justify="right" if column == "$/hour" else "left")
    for stage in plan.pipeline.stages:
        for key in stage.tasks:
            resources = plan.pipeline.resources.get(key, [])
            if not resources and key not in plan.failures:
                continue
            names = ", ".join(_priced_label(plan, r) for r in resources[:4])
            names += f" ... ({len(resources) - 4} more)" if len(resources) > 4 else ""
            if key in plan.failures:
                names = f"[red]{plan.failures[key]}[/red]"
            table.add_row(str(stage.index), str(key), str(len(resources)), _task_rate(plan, resources), names)
    out.print(table)
    for kept in plan.kept:
        out.print(f"  keep {kept.resource.type_key} {kept.resource.label}: {kept.reason}", highlight=False)
    for flagged in plan.protected:
        label = f"{flagged.resource.type_key} {flagged.resource.label}"
        out.print(f"  [yellow]protected[/yellow] {label}: {flagged.reason}", highlight=False)
    for held in plan.blocked:
        out.print(
            f"  [red]blocked[/red] {held.resource.type_key} {held.resource.label}: {held.reason}",
            highlight=False,
        )
    for member in plan.with_stack:
        label = f"{member.resource.type_key} {member.resource.label}"
        out.print(f"  with its stack {label}: {member.reason}", highlight=False)
    for type_key in plan.disable_protection:
        out.print(f"  protection of {type_key} will be turned off to delete (--disable-protection)")
    if plan.final_snapshots.types:
        out.print(f"  {final_snapshots_line(plan.final_snapshots)}", highlight=False, soft_wrap=True)
    blocked = f", {len(plan.blocked)} blocked by what stays" if plan.blocked else ""
    stacks = f" (and {len(plan.with_stack)} by their CloudFormation stacks)" if plan.with_stack else ""
    protected = f", {len(plan.protected)} protected" if plan.protected else ""
    out.print(
        f"{len(plan.targets)} resources would be deleted{stacks}, {len(plan.kept)} kept{protected}{blocked}."
    )
    if plan.costs is not None:
        print_plan_cost(out, plan.costs, Action.DELETE, plan.reach)


def final_snapshots_line(final: FinalSnapshots) -> str:
    """Whether the selected databases keep a final snapshot when deleted, and how to change it."""
    types = ", ".join(final.types)
    if final.skipped:
        return f"final snapshots: skipped for {types} (skip_final_snapshot): their data goes with them"
    return f"final snapshots: kept (costzero-final-...) for {types}; --skip-final-snapshot to skip them"


def print_plan_cost(out: Console, sheet: CostSheet, action: Action, acted: Sequence[Resource]) -> None:
    """Cost now, per region and in total, and what the action would save (and leave billing)."""
    total = sheet.total()
    regions = ", ".join(f"{name} {usd(t.hourly, t.unknown)}/h" for name, t in sheet.grouped("region").items())
    out.print(f"costs now: {rate(total.hourly, total.unknown)} ({regions})", highlight=False)
    out.print(savings_line(sheet.savings(action, [r.ref for r in acted])), highlight=False)
    out.print(price_note(sheet), highlight=False, style="dim")
    if sheet.prices.warning:
        out.print(f"warning: {sheet.prices.warning}", highlight=False)


def _priced_label(plan: DestroyPlan, resource: Resource) -> str:
    cost = plan.costs.get(resource.ref) if plan.costs is not None else None
    if cost is None or (cost.known and not cost.hourly):
        return resource.label
    return f"{resource.label} {usd(cost.hourly, not cost.known)}/h"


def _task_rate(plan: DestroyPlan, resources: Sequence[Resource]) -> str:
    if plan.costs is None:
        return ""
    found = [plan.costs.get(r.ref) for r in resources]
    known = [c for c in found if c is not None]
    unknown = len(found) - len(known) + sum(1 for c in known if not c.known)
    return usd(sum(c.hourly for c in known), unknown)


def warn_blast_radius(err: Console, policy: SafetyPolicy, count: int) -> None:
    """Plans and dry runs say, on stderr, that a real run would be refused by --max-resources."""
    refusal = policy.blast_radius_refusal(count)
    if refusal is not None:
        err.print(f"warning: a real run would be refused: {refusal}", highlight=False, soft_wrap=True)


def print_result(out: Console, result: RunResult) -> None:
    verb = "would delete" if result.dry_run else "deleted"
    count = result.outcomes.get(OutcomeKind.WOULD_DELETE, 0) if result.dry_run else result.deleted
    out.print(f"run {result.run_id}: {verb} {count} of {result.planned} resources; kept {result.kept}.")
    print_failed_tasks(out, result)
    left = result.left_outcomes
    if left:
        out.print("  left: " + ", ".join(f"{k} {n}" for k, n in sorted(left.items())))
    if result.interrupted:
        sys.stderr.write(resume_hint(result.run_id) + "\n")


def print_failed_tasks(out: Console, result: RunResult) -> None:
    for key, state in sorted(result.failed_tasks.items()):
        out.print(f"  [red]{state}[/red] {key}: {result.task_reasons.get(key, '')}", highlight=False)


def exit_code(result: RunResult) -> int:
    """0 when the run did all it meant to (a dry run: when every listing worked), 130 when it was
    interrupted, 1 otherwise; `RunResult.ok` decides, from the typed outcomes."""
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


@contextlib.contextmanager
def run_view(console: Console, sdk: CostZero, *, live: bool, doing: str, total: int) -> Iterator[None]:
    """Around a run: the live view on `console` while it runs (a real run with `live` only); the
    first Ctrl-C or SIGTERM stops it gracefully, a second aborts (see interrupts). The command
    calls the SDK itself, inside the block."""
    if not live:
        with graceful_stop(sdk):
            yield
        return
    view = LiveRunView(doing, total)
    unsubscribe = sdk.subscribe(view)
    try:
        # Rich redraws from view.render() on its own thread; events only update the view's state.
        with (
            graceful_stop(sdk),
            Live(console=console, refresh_per_second=6, get_renderable=view.render, transient=False),
        ):
            yield
    finally:
        unsubscribe()
    console.print()
