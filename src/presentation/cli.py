"""`costzero` command line: a thin Typer + Rich shell over the SDK."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from costzero.domain.errors import BadInputError
from costzero.presentation.graph import render_graph
from costzero.presentation.options import (
    STATE,
    Accounts,
    ConfigFile,
    ExcludeTags,
    MaxResources,
    Output,
    Regions,
    Services,
    Types,
    check_output,
    guard,
    out,
    overrides,
)
from costzero.presentation.park_commands import register as register_park_commands
from costzero.presentation.reports import run_actions_as_csv, run_as_json
from costzero.presentation.sdk import CostZero
from costzero.presentation.views import destroy_flow, print_plan

app = typer.Typer(
    help="Take AWS accounts to (near) zero cost and back.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
plan_app = typer.Typer(help="Show what a command would do, without changing anything.", no_args_is_help=True)
runs_app = typer.Typer(help="Run history.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")
app.add_typer(runs_app, name="runs")


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
) -> None:
    """Show what `destroy` would delete, stage by stage. Read-only."""
    with guard():
        check_output(output)
        with _sdk(config, **overrides(exclude_tag, max_resources)) as sdk:
            plan = sdk.plan(regions=region, services=service, types=type, accounts=account or ())
            print_plan(out, plan, output)


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
    dry_run: Annotated[bool, typer.Option("--dry-run/--no-dry-run", help="Only report (default).")] = True,
    yes: Annotated[bool, typer.Option("--yes", help="No prompt; the account must be allow-listed.")] = False,
    live: Annotated[bool, typer.Option("--live/--no-live", help="Live progress view.")] = True,
) -> None:
    """Delete every selected resource in dependency order (a dry run unless --no-dry-run)."""
    with guard():
        check_output(output)
        with _sdk(config, **overrides(exclude_tag, max_resources)) as sdk:
            plan = sdk.plan(regions=region, services=service, types=type, accounts=account or ())
            code = destroy_flow(out, sdk, plan, dry_run=dry_run, yes=yes, live=live, output=output)
    raise typer.Exit(code)


@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option(help="How many runs.")] = 20,
    config: ConfigFile = None,
    output: Output = "table",
) -> None:
    """The most recent runs."""
    with guard():
        check_output(output)
        with _sdk(config) as sdk:
            runs = sdk.runs(limit)
        if output == "json":
            out.print(run_as_json({"runs": runs}), markup=False)
            return
        table = Table(title="runs")
        for column in ("run", "kind", "dry run", "status", "started", "summary"):
            table.add_column(column)
        for run in runs:
            summary = run.get("summary") or {}
            table.add_row(
                run["id"],
                run["kind"],
                "yes" if run["dry_run"] else "no",
                run["status"],
                str(run["started_at"])[:19],
                str(summary.get("outcomes", "")),
            )
        out.print(table)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[str, typer.Argument(help="Run ID or a unique prefix.")],
    config: ConfigFile = None,
    output: Annotated[str, typer.Option("--output", "-o", help="table, json or csv.")] = "table",
) -> None:
    """One run: its tasks and every resource action."""
    with guard():
        check_output(output, ("table", "json", "csv"))
        with _sdk(config) as sdk:
            run = sdk.run(run_id)
        if output == "json":
            sys.stdout.write(run_as_json(run) + "\n")
        elif output == "csv":
            sys.stdout.write(run_actions_as_csv(run))
        else:
            out.print(
                f"run {run['id']} ({run['kind']}, {'dry run' if run['dry_run'] else 'real'}): "
                f"{run['status']}",
                highlight=False,
            )
            table = Table()
            for column in ("at", "task", "resource", "outcome", "message"):
                table.add_column(column)
            for action in run.get("actions", []):
                table.add_row(
                    str(action["at"])[11:19],
                    action["task_key"],
                    action["resource_id"],
                    action["outcome"],
                    action["message"],
                )
            out.print(table)


@app.command()
def graph(
    format: Annotated[str, typer.Option("--format", "-f", help="text, mermaid or dot.")] = "text",
    config: ConfigFile = None,
) -> None:
    """The resource-type dependency registry."""
    with guard():
        if format not in ("text", "mermaid", "dot"):
            raise BadInputError(f"unknown graph format {format!r} (use text, mermaid or dot)")
        with _sdk(config) as sdk:
            sys.stdout.write(render_graph(sdk.registry, format) + "\n")


@app.command()
def demo(
    live: Annotated[bool, typer.Option("--live/--no-live", help="Live progress view.")] = True,
) -> None:
    """The whole cycle against an embedded, seeded moto account on 127.0.0.1 (needs costzero[demo])."""
    from costzero.presentation.demo import run_demo

    with guard():
        code = run_demo(out, live=live)
    raise typer.Exit(code)


register_park_commands(app, runs_app)


def main() -> None:
    STATE["hard_exit"] = True  # a second Ctrl-C ends the process at once (not under a test runner)
    app()
