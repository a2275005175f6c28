"""`costzero stop`, `start`, `status`, `state export|import` and `runs resume`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from costzero.domain.errors import BadInputError
from costzero.presentation import run_report
from costzero.presentation.destroy_command import run_destroy
from costzero.presentation.interrupts import resume_hint
from costzero.presentation.options import (
    Accounts,
    ConfigFile,
    ExcludeTags,
    Live,
    MaxResources,
    Profile,
    Regions,
    ReportFile,
    Services,
    Types,
    ask_account,
    guard,
    overrides,
)
from costzero.presentation.output import Output, check_output, err, human, out, write_csv, write_json
from costzero.presentation.park_views import STATUS_FIELDS, print_park_plan, print_park_result, print_status
from costzero.presentation.reports import park_plan_as_dict
from costzero.presentation.sdk import CostZero
from costzero.presentation.views import exit_code, run_view, warn_blast_radius, write_run_document

Group = Annotated[str | None, typer.Option("--group", "-g", help="A named group from costzero.yaml.")]
DryRun = Annotated[bool, typer.Option("--dry-run/--no-dry-run", help="Only report (default).")]
Yes = Annotated[bool, typer.Option("--yes", help="No prompt; the account must be allow-listed.")]

state_app = typer.Typer(help="The JSON mirror of park snapshots.", no_args_is_help=True)


def _park(
    action: str,
    selection: dict[str, Any],
    config: Path | None,
    overrides: dict[str, Any],
    output: str,
    dry_run: bool,
    yes: bool,
    live: bool = False,
    report: Path | None = None,
) -> int:
    check_output(output)
    if report is not None:
        run_report.format_of(report)  # refused before anything is read or changed
    console = human(output)
    with CostZero(config, **overrides) as sdk:
        plan = sdk.plan_stop(**selection) if action == "stop" else sdk.plan_start(**selection)
        if output == "table":
            print_park_plan(console, plan)
        if dry_run:
            warn_blast_radius(err, plan.policy, len(plan.changes))
        confirm = None
        if action == "stop" and not dry_run and not yes and plan.changes:
            confirm = ask_account(f"parks {len(plan.changes)} resources", plan.account, err=output != "table")
        doing = "stopping" if action == "stop" else "starting"
        total = len(plan.reports) + len(plan.kept)
        with run_view(console, sdk, live=live and not dry_run, doing=doing, total=total):
            result = sdk.park(plan, dry_run=dry_run, confirm=confirm, yes=yes)
        print_park_result(console, result)
        write_run_document(sdk, output, park_plan_as_dict(plan), result)
        if report is not None:
            run_report.save(sdk, result.run_id, report)
    if result.interrupted:
        sys.stderr.write(resume_hint(result.run_id) + "\n")
    return exit_code(result)


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
        return run_destroy(sdk, plan, output="table", dry_run=False, yes=yes, live=live)


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
        profile: Profile = None,
        dry_run: DryRun = True,
        yes: Yes = False,
        live: Live = True,
        report: ReportFile = None,
    ) -> None:
        """Park resources: save their settings, then make them cheapest (a dry run by default)."""
        with guard():
            selection = _selection(region, service, type, account, group)
            settings = overrides(exclude_tag, max_resources, profile)
            code = _park("stop", selection, config, settings, output, dry_run, yes, live, report)
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
        profile: Profile = None,
        dry_run: DryRun = True,
        live: Live = True,
        report: ReportFile = None,
    ) -> None:
        """Restore what `stop` parked, exactly, prerequisites first (dry run by default)."""
        with guard():
            selection = _selection(region, service, type, account, group)
            settings = overrides(exclude_tag, max_resources, profile)
            code = _park("start", selection, config, settings, output, dry_run, False, live, report)
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
        profile: Profile = None,
    ) -> None:
        """Per parkable resource: running, parked (since when, by which run), drifted or gone."""
        with guard():
            check_output(output)
            with CostZero(config, **overrides(exclude_tag, None, profile)) as sdk:
                rows = sdk.status(**_selection(region, service, type, account, group))
                prices = sdk.prices_in_use()
            if output == "json":
                write_json(rows)
            elif output == "csv":
                write_csv(rows, STATUS_FIELDS)
            else:
                print_status(out, rows)
            if prices.warning:
                err.print(f"warning: {prices.warning}", highlight=False, soft_wrap=True)

    @runs_app.command("resume")
    def resume(
        run_id: Annotated[str, typer.Argument(help="A destroy, stop or start run (ID or unique prefix).")],
        config: ConfigFile = None,
        yes: Yes = False,
        live: Live = True,
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
                return
            try:
                file.write_text(text + "\n", encoding="utf-8")
            except OSError as error:
                raise BadInputError(f"cannot write {file}: {error.strerror or error}") from None
            err.print(f"wrote {file}", highlight=False)

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
