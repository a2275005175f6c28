"""The body of `destroy`, shared with `runs resume` of a destroy run."""

from __future__ import annotations

from pathlib import Path

from costzero.application.cleanup import DestroyPlan
from costzero.presentation import run_report
from costzero.presentation.options import ask_account
from costzero.presentation.output import err, human
from costzero.presentation.reports import plan_as_dict
from costzero.presentation.sdk import CostZero
from costzero.presentation.views import (
    exit_code,
    print_plan,
    print_result,
    run_view,
    warn_blast_radius,
    write_run_document,
)


def run_destroy(
    sdk: CostZero,
    plan: DestroyPlan,
    *,
    output: str,
    dry_run: bool,
    yes: bool,
    live: bool,
    report: Path | None = None,
) -> int:
    """Show the plan, confirm a real run, run it with the live view, report (and write the run's
    report file when asked: its name was checked before the plan); returns the exit code."""
    console = human(output)
    print_plan(console, plan)
    if dry_run:
        warn_blast_radius(err, plan.policy, len(plan.reach))
    confirm = None
    if not dry_run and not yes:
        confirm = ask_account(f"deletes {len(plan.reach)} resources", plan.account, err=output != "table")
    total = len(plan.targets) + len(plan.kept) + len(plan.blocked) + len(plan.protected)
    with run_view(console, sdk, live=live and not dry_run, doing="destroying", total=total):
        result = sdk.destroy(plan, dry_run=dry_run, confirm=confirm, yes=yes)
    print_result(console, result)
    write_run_document(sdk, output, plan_as_dict(plan), result)
    if report is not None:
        run_report.save(sdk, result.run_id, report)
    return exit_code(result)
