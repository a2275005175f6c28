"""`costzero stop`, `start`, `status`, `state export|import` and `runs resume`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from costzero.application.parking import ParkPlan, ParkResult
from costzero.domain.errors import BadInputError
from costzero.domain.parking import Decision
from costzero.presentation.interrupts import EXIT_INTERRUPTED, graceful_stop, resume_hint
from costzero.presentation.options import (
    EXIT_LEFT,
    Accounts,
    ConfigFile,
    ExcludeTags,
    MaxResources,
    Output,
    Regions,
    Services,
    Types,
    ask_account,
    check_output,
    guard,
    out,
    overrides,
)
from costzero.presentation.sdk import CostZero
from costzero.presentation.views import destroy_flow

Group = Annotated[str | None, typer.Option("--group", "-g", help="A named group from costzero.yaml.")]
DryRun = Annotated[bool, typer.Option("--dry-run/--no-dry-run", help="Only report (default).")]
Yes = Annotated[bool, typer.Option("--yes", help="No prompt; the account must be allow-listed.")]

state_app = typer.Typer(help="The JSON mirror of park snapshots.", no_args_is_help=True)


def print_park_plan(out: Console, plan: ParkPlan, output: str) -> None:
    if output == "json":
        rows = [
            {
                "type": i.resource.type_key,
                "id": i.resource.id,
                "region": i.resource.region,
                "decision": i.decision.value,
                "reason": i.reason,
                "before": i.before_after[0],
                "after": i.before_after[1],
            }
            for i in plan.reports
        ]
        out.print_json(
            json.dumps(
                {
                    "action": plan.action.value,
                    "account": plan.account,
                    "resources": rows,
                    "kept": [{"id": k.resource.id, "reason": k.reason} for k in plan.kept],
                },
                default=str,
            )
        )
        return
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
    counts = ", ".join(f"{k} {n}" for k, n in sorted(result.outcomes.items())) or "nothing"
    out.print(f"run {result.run_id} ({result.action}): {verb}: {counts}", highlight=False)
    for key, state in sorted(result.task_states.items()):
        if state in ("failed", "blocked"):
            out.print(f"  [red]{state}[/red] {key}: {result.task_reasons.get(key, '')}", highlight=False)


def _park(
    action: str,
    selection: dict[str, Any],
    config: Path | None,
    overrides: dict[str, Any],
    output: str,
    dry_run: bool,
    yes: bool,
) -> int:
    check_output(output)
    with CostZero(config, **overrides) as sdk:
        plan = sdk.plan_stop(**selection) if action == "stop" else sdk.plan_start(**selection)
        print_park_plan(out, plan, output)
        confirm = None
        if action == "stop" and not dry_run and not yes and plan.changes:
            confirm = ask_account(f"parks {len(plan.changes)} resources", plan.account)
        with graceful_stop(sdk):
            result = sdk.park(plan, dry_run=dry_run, confirm=confirm, yes=yes)
        print_park_result(out, result)
    if result.interrupted:
        sys.stderr.write(resume_hint(result.run_id) + "\n")
        return EXIT_INTERRUPTED
    left = result.outcomes.get("failed", 0) + result.outcomes.get("drifted", 0)
    if action == "start":  # a parked resource that is gone cannot be restored; stop has nothing to do
        left += result.outcomes.get("missing", 0)
    return 0 if result.ok and not left else EXIT_LEFT


def _resume_destroy(params: dict[str, Any], config: Path | None, yes: bool, live: bool) -> int:
    """Re-plan a destroy with its own regions, types and keep-tags (never today's wider ones)."""
    kept = {"exclude_tags": params.get("exclude_tags") or None}
    with CostZero(config, **kept) as sdk:
        plan = sdk.plan(
            regions=params.get("regions"),
            types=params.get("types"),
            services=(),
            accounts=[params["account"]] if yes and "account" in params else (),
        )
        return destroy_flow(out, sdk, plan, dry_run=False, yes=yes, live=live, output="table")


def _selection(
    regions: list[str] | None,
    services: list[str] | None,
    types: list[str] | None,
    accounts: list[str] | None,
    group: str | None,
) -> dict[str, Any]:
    return {
        "regions": regions,
        "services": services,
        "types": types,
        "accounts": accounts or (),
        "group": group,
    }


def register(app: typer.Typer, runs_app: typer.Typer) -> None:
    @app.command()
    def stop(
        region: Regions = None,
        service: Services = None,
        type: Types = None,
        account: Accounts = None,
        group: Group = None,
        exclude_tag: ExcludeTags = None,
        config: ConfigFile = None,
        output: Output = "table",
        max_resources: MaxResources = None,
        dry_run: DryRun = True,
        yes: Yes = False,
    ) -> None:
        """Park resources: save their settings, then make them cheapest (a dry run by default)."""
        with guard():
            selection = _selection(region, service, type, account, group)
            code = _park(
                "stop", selection, config, overrides(exclude_tag, max_resources), output, dry_run, yes
            )
        raise typer.Exit(code)

    @app.command()
    def start(
        region: Regions = None,
        service: Services = None,
        type: Types = None,
        account: Accounts = None,
        group: Group = None,
        exclude_tag: ExcludeTags = None,
        config: ConfigFile = None,
        output: Output = "table",
        max_resources: MaxResources = None,
        dry_run: DryRun = True,
    ) -> None:
        """Restore what `stop` parked, exactly, prerequisites first (dry run by default)."""
        with guard():
            selection = _selection(region, service, type, account, group)
            code = _park(
                "start", selection, config, overrides(exclude_tag, max_resources), output, dry_run, False
            )
        raise typer.Exit(code)

    @app.command()
    def status(
        region: Regions = None,
        service: Services = None,
        type: Types = None,
        account: Accounts = None,
        group: Group = None,
        exclude_tag: ExcludeTags = None,
        config: ConfigFile = None,
        output: Output = "table",
    ) -> None:
        """Per parkable resource: running, parked (since when, by which run), drifted or gone."""
        with guard():
            check_output(output)
            with CostZero(config, **overrides(exclude_tag, None)) as sdk:
                rows = sdk.status(**_selection(region, service, type, account, group))
            if output == "json":
                out.print_json(json.dumps(rows, default=str))
                return
            table = Table(title="status")
            for column in ("type", "resource", "region", "state", "warning"):
                table.add_column(column)
            for row in rows:
                table.add_row(
                    row["type"], row["name"] or row["id"], row["region"], row["state"], row["warning"]
                )
            out.print(table)

    @runs_app.command("resume")
    def resume(
        run_id: Annotated[str, typer.Argument(help="A destroy, stop or start run (ID or unique prefix).")],
        config: ConfigFile = None,
        yes: Yes = False,
        live: Annotated[bool, typer.Option("--live/--no-live", help="Live progress view.")] = True,
    ) -> None:
        """Finish an interrupted destroy, stop or start: the run's own selection and keep rules,
        re-planned against live state (what is gone is skipped). Real, with the run's confirmation."""
        with guard():
            with CostZero(config) as sdk:
                run = sdk.run(run_id)
            if run["kind"] not in ("destroy", "stop", "start") or run["dry_run"]:
                what = "dry run" if run["dry_run"] else run["kind"]
                raise BadInputError(
                    f"run {run['id']} is a {what}; only real destroy, stop and start runs resume"
                )
            params = run.get("params") or {}
            if run["kind"] == "destroy":
                raise typer.Exit(_resume_destroy(params, config, yes, live))
            selection = {
                "regions": params.get("regions"),
                "types": params.get("types"),
                "tags": params.get("include_tags") or None,
            }
            if run["kind"] == "stop":
                selection["accounts"] = [params["account"]] if yes and "account" in params else ()
            kept = {"exclude_tags": params.get("exclude_tags") or None}  # the run's keep-tags, not today's
            code = _park(run["kind"], selection, config, kept, "table", False, yes)
        raise typer.Exit(code)

    @state_app.command("export")
    def export(
        file: Annotated[Path, typer.Argument(help="Where to write ('-' for stdout).")],
        config: ConfigFile = None,
    ) -> None:
        """Write every open park snapshot as JSON."""
        with guard(), CostZero(config) as sdk:
            text = json.dumps(sdk.export_state(), indent=2, default=str)
            if str(file) == "-":
                sys.stdout.write(text + "\n")
            else:
                file.write_text(text + "\n", encoding="utf-8")
                out.print(f"wrote {file}")

    @state_app.command("import")
    def import_(
        file: Annotated[Path, typer.Argument(help="A state file written by `state export`.")],
        config: ConfigFile = None,
    ) -> None:
        """Add the snapshots of a state file; snapshots already held are never overwritten."""
        with guard():
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise BadInputError(f"cannot read state file {file}: {error}") from None
            with CostZero(config) as sdk:
                report = sdk.import_state(data)
            out.print(f"imported {len(report['imported'])}, kept {len(report['kept'])} already held")

    app.add_typer(state_app, name="state")
