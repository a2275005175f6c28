"""`costzero cost`: what runs now and what it costs, and what runs saved (`--saved`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.table import Table

from costzero.application.savings import SavingsReport
from costzero.domain.errors import BadInputError
from costzero.presentation.cost_views import (
    COST_FIELDS,
    cost_rows,
    print_sheet,
    sheet_document,
    usd,
    warn_prices,
)
from costzero.presentation.options import Accounts, ConfigFile, Profile, Regions, Services, Types, guard
from costzero.presentation.output import Output, check_output, err, human, write_csv, write_json
from costzero.presentation.sdk import CostZero

GroupBy = Annotated[
    str | None,
    typer.Option(
        "--group-by",
        "-g",
        help="service, region, type, account or tag:KEY (default type); with --actual: service, region, "
        "account, usage-type or tag:KEY (default service).",
    ),
]
Top = Annotated[int, typer.Option("--top", help="How many of the most expensive resources to list.")]
SAVED_FIELDS = ("run_id", "type", "id", "region", "usd_per_hour", "since", "until", "hours", "saved_usd")


def register(app: typer.Typer, sdk: Callable[..., CostZero]) -> None:
    @app.command()
    def cost(
        region: Regions = None,
        service: Services = None,
        type: Types = None,
        account: Accounts = None,
        group_by: GroupBy = None,
        top: Top = 10,
        saved: Annotated[
            bool, typer.Option("--saved", help="What destroy and stop runs saved so far, and per month.")
        ] = False,
        actual: Annotated[
            bool,
            typer.Option(
                "--actual",
                help="What AWS billed from --since (Cost Explorer, $0.01 a request, cached per day) "
                "beside the estimate.",
            ),
        ] = False,
        since: Annotated[
            str | None, typer.Option(help="With --actual: the first day, YYYY-MM-DD (UTC).")
        ] = None,
        until: Annotated[
            str | None, typer.Option(help="With --actual: the day after the last one (default: today, UTC).")
        ] = None,
        refresh: Annotated[
            bool, typer.Option("--refresh", help="With --actual: ask Cost Explorer again, not today's cache.")
        ] = False,
        config: ConfigFile = None,
        profile: Profile = None,
        output: Output = "table",
    ) -> None:
        """What runs now and what it costs per hour and month (on-demand prices, read-only); with
        --actual, what AWS billed per group since a day, beside it."""
        with guard():
            check_output(output)
            if actual or since or until or refresh:
                from costzero.presentation.spend_views import show_spend

                first = _actual_since(actual, saved, since)
                with sdk(config, profile=profile) as client:
                    report = client.actual_spend(
                        since=first,
                        until=until,
                        group_by=group_by or "service",
                        refresh=refresh,
                        regions=region,
                        services=service,
                        types=type,
                        accounts=account or (),
                    )
                show_spend(report, output)
                return
            group_by = group_by or "type"
            if saved:
                with sdk(config, profile=profile) as client:
                    _show_saved(client.savings(), output)
                return
            from costzero.domain.costing import group_key

            group_key(group_by)  # a bad --group-by is refused before anything is listed
            with sdk(config, profile=profile) as client:
                inventory = client.cost(regions=region, services=service, types=type, accounts=account or ())
            sheet = inventory.sheet
            if output == "json":
                write_json(
                    {
                        "account": inventory.account,
                        "regions": list(inventory.regions),
                        **sheet_document(sheet, group_by, top),
                        "failures": {str(k): v for k, v in inventory.failures.items()},
                    }
                )
            elif output == "csv":
                write_csv(cost_rows(sheet, group_by), COST_FIELDS)
            else:
                title = f"cost of account {inventory.account} in {', '.join(inventory.regions)}"
                print_sheet(human(output), sheet, group_by, top, title)
            for key, reason in sorted(inventory.failures.items(), key=lambda item: str(item[0])):
                err.print(f"warning: {key} not listed, its cost is missing: {reason}", highlight=False)
            warn_prices(err, sheet)


def _actual_since(actual: bool, saved: bool, since: str | None) -> str:
    if not actual:
        raise BadInputError("--since, --until and --refresh go with --actual")
    if saved:
        raise BadInputError("--actual and --saved are two different views: ask for one")
    if since is None:
        raise BadInputError("--actual needs --since DAY (YYYY-MM-DD): the first day of the period")
    return since


def _show_saved(report: SavingsReport, output: str) -> None:
    document = report.as_dict()
    if output == "json":
        write_json(document)
        return
    if output == "csv":
        write_csv(document["items"], SAVED_FIELDS)
        return
    console = human(output)
    table = Table(title="saved by runs")
    for column in ("run", "resources", "still saving $/hour", "saved so far"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for run_id, row in document["by_run"].items():
        count = sum(1 for s in report.savings if s.run_id == run_id)
        table.add_row(run_id, str(count), usd(row["usd_per_hour"]), usd(row["saved_usd"]))
    console.print(table)
    console.print(
        f"saved so far {usd(report.saved_usd, report.unknown)}; still saving "
        f"{usd(report.still_saving_usd_per_hour, report.unknown)}/h, "
        f"{usd(report.projected_usd_per_month, report.unknown)}/month",
        highlight=False,
    )
