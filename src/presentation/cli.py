"""`costzero` command line: a thin Typer + Rich shell over the SDK."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any

import typer

from costzero.presentation import catalogue_commands, cost_commands, price_commands, run_report, runs_commands
from costzero.presentation.destroy_command import run_destroy
from costzero.presentation.options import (
    STATE,
    Accounts,
    ConfigFile,
    DisableProtection,
    ExcludeTags,
    IncludeDefaults,
    Live,
    MaxResources,
    Profile,
    Regions,
    ReportFile,
    RetainFailed,
    Services,
    SkipFinalSnapshot,
    Types,
    guard,
    overrides,
)
from costzero.presentation.output import Output, check_output, err, out, write_csv, write_json
from costzero.presentation.park_commands import register as register_park_commands
from costzero.presentation.reports import (
    PLAN_FIELDS,
    plan_as_dict,
    plan_rows,
)
from costzero.presentation.sdk import CostZero
from costzero.presentation.views import print_plan, warn_blast_radius

HELP = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    help="Take AWS accounts to (near) zero cost and back.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings=HELP,
)
plan_app = typer.Typer(
    help="Show what a command would do, without changing anything.",
    no_args_is_help=True,
    context_settings=HELP,
)
runs_app = typer.Typer(help="Run history.", no_args_is_help=True, context_settings=HELP)
app.add_typer(plan_app, name="plan")
app.add_typer(runs_app, name="runs")
DryRun = Annotated[bool, typer.Option("--dry-run/--no-dry-run", help="Only report (default).")]
Yes = Annotated[bool, typer.Option("--yes", help="No prompt; the account must be allow-listed.")]


def _version(value: bool) -> None:
    if value:
        try:
            out.print(f"costzero {version('costzero')}")
        except PackageNotFoundError:
            out.print("costzero (not installed)")
        raise typer.Exit()


@app.callback()
def root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    _: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    STATE["debug"] = debug


def _sdk(config: Path | None, **overrides: Any) -> CostZero:
    return CostZero(config, **overrides)


@plan_app.command("destroy")
def plan_destroy(
    region: Regions = None,
    service: Services = None,
    type: Types = None,
    account: Accounts = None,
    exclude_tag: ExcludeTags = None,
    config: ConfigFile = None,
    output: Output = "table",
    max_resources: MaxResources = None,
    profile: Profile = None,
    disable_protection: DisableProtection = None,
    include_defaults: IncludeDefaults = False,
    skip_final_snapshot: SkipFinalSnapshot = False,
    retain_failed_stack_resources: RetainFailed = False,
) -> None:
    """Show what `destroy` would delete, stage by stage. Read-only."""
    with guard():
        check_output(output)
        flags = overrides(
            exclude_tag,
            max_resources,
            profile,
            disable_protection,
            include_defaults,
            skip_final_snapshot,
            retain_failed_stack_resources,
        )
        with _sdk(config, **flags) as sdk:
            plan = sdk.plan(regions=region, services=service, types=type, accounts=account or ())
        if output == "json":
            write_json(plan_as_dict(plan))
        elif output == "csv":
            write_csv(plan_rows(plan), PLAN_FIELDS)
        else:
            print_plan(out, plan)
        warn_blast_radius(err, plan.policy, len(plan.reach))


@app.command()
def destroy(
    region: Regions = None,
    service: Services = None,
    type: Types = None,
    account: Accounts = None,
    exclude_tag: ExcludeTags = None,
    config: ConfigFile = None,
    output: Output = "table",
    max_resources: MaxResources = None,
    profile: Profile = None,
    disable_protection: DisableProtection = None,
    include_defaults: IncludeDefaults = False,
    skip_final_snapshot: SkipFinalSnapshot = False,
    retain_failed_stack_resources: RetainFailed = False,
    dry_run: DryRun = True,
    yes: Yes = False,
    live: Live = True,
    report: ReportFile = None,
) -> None:
    """Delete every selected resource in dependency order (a dry run unless --no-dry-run)."""
    with guard():
        check_output(output)
        if report is not None:
            run_report.format_of(report)  # refused before anything is read or changed
        flags = overrides(
            exclude_tag,
            max_resources,
            profile,
            disable_protection,
            include_defaults,
            skip_final_snapshot,
            retain_failed_stack_resources,
        )
        with _sdk(config, **flags) as sdk:
            plan = sdk.plan(regions=region, services=service, types=type, accounts=account or ())
            code = run_destroy(sdk, plan, output=output, dry_run=dry_run, yes=yes, live=live, report=report)
    raise typer.Exit(code)


@app.command()
def demo(live: Live = True) -> None:
    """The whole cycle against an embedded, seeded moto account on 127.0.0.1 (needs costzero[demo])."""
    from costzero.presentation.demo import run_demo

    with guard():
        code = run_demo(out, live=live)
    raise typer.Exit(code)


runs_commands.register(runs_app, lambda config: _sdk(config))
catalogue_commands.register(app, lambda config: _sdk(config))
price_commands.register(app, _sdk)
cost_commands.register(app, _sdk)
register_park_commands(app, runs_app)


def main() -> None:
    STATE["hard_exit"] = True  # a second Ctrl-C ends the process at once (not under a test runner)
    app()
