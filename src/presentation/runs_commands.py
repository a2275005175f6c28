"""`costzero runs list` and `runs show`: the run history."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from costzero.application.savings import SavingsReport
from costzero.presentation import run_report
from costzero.presentation.cost_views import rate, usd
from costzero.presentation.options import ConfigFile, guard
from costzero.presentation.output import Output, check_output, out, write_csv, write_json
from costzero.presentation.reports import run_actions_as_csv, run_as_json, run_row
from costzero.presentation.sdk import CostZero

RUN_FIELDS = (
    "id",
    "kind",
    "dry_run",
    "status",
    "account",
    "regions",
    "started_at",
    "duration_seconds",
    "summary",
)


def register(runs_app: typer.Typer, sdk: Callable[[Path | None], CostZero]) -> None:
    @runs_app.command("list")
    def runs_list(
        limit: Annotated[int, typer.Option(help="How many runs.")] = 20,
        config: ConfigFile = None,
        output: Output = "table",
    ) -> None:
        """The most recent runs."""
        with guard():
            check_output(output)
            with sdk(config) as client:
                runs = client.runs(limit)
            if output == "json":
                write_json({"runs": [_json_row(run) for run in runs]})
                return
            rows = [run_row(run) for run in runs]
            if output == "csv":
                write_csv(rows, RUN_FIELDS)
                return
            table = Table(title="runs")
            table.add_column("run", no_wrap=True)
            for column in ("kind", "status", "account", "regions", "started", "took", "summary"):
                table.add_column(column, overflow="fold")
            for row in rows:
                took = row["duration_seconds"]
                table.add_row(
                    row["id"],
                    f"{row['kind']} (dry run)" if row["dry_run"] else row["kind"],
                    row["status"],
                    row["account"],
                    ", ".join(row["regions"]),
                    str(row["started_at"])[:19].replace("T", " "),
                    "" if took is None else f"{took:.1f}s",
                    row["summary"],
                )
            out.print(table)

    @runs_app.command("show")
    def runs_show(
        run_id: Annotated[str, typer.Argument(help="Run ID or a unique prefix.")],
        config: ConfigFile = None,
        output: Output = "table",
    ) -> None:
        """One run: its tasks and every resource action."""
        with guard():
            check_output(output)
            with sdk(config) as client:
                run = client.run(run_id)
                saved = client.savings(run["id"]) if not run["dry_run"] else None
            if output == "json":
                document = {**run, "savings": saved.as_dict() if saved is not None else None}
                sys.stdout.write(run_as_json(document) + "\n")
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
                    table.add_column(column, overflow="fold")
                for action in run.get("actions", []):
                    table.add_row(
                        str(action["at"])[11:19],
                        action["task_key"],
                        action["resource_id"],
                        action["outcome"],
                        action["message"],
                    )
                out.print(table)
                _print_run_cost(run, saved)

    register_report(runs_app, sdk)


def register_report(runs_app: typer.Typer, sdk: Callable[[Path | None], CostZero]) -> None:
    @runs_app.command("report")
    def runs_report(
        run_id: Annotated[str, typer.Argument(help="Run ID or a unique prefix.")],
        format: Annotated[str, typer.Option("--format", "-f", help="html, json or csv.")] = "html",
        out_file: Annotated[
            Path | None, typer.Option("--out", help="Write the report to this file (default: stdout).")
        ] = None,
        config: ConfigFile = None,
    ) -> None:
        """One run's report: summary, cost before and after, savings, a timeline of its tasks and
        every resource. HTML is one self-contained page (opens offline); JSON and CSV hold the same
        data (CSV: the resource rows)."""
        with guard():
            run_report.check_format(format)
            if out_file is not None:
                run_report.check_writable(out_file)
            with sdk(config) as client:
                data = run_report.build(client, run_id)
            text = run_report.render(data, format)
            if out_file is None:
                sys.stdout.write(text)
                return
            run_report.write(text, out_file)
            sys.stderr.write(f"wrote {format} report of run {data['run']['id']} to {out_file}\n")


def _json_row(run: dict[str, Any]) -> dict[str, Any]:
    """The stored run, plus the readable columns of the table (summary as text in `summary_text`)."""
    row = run_row(run)
    return {**run, **{k: v for k, v in row.items() if k != "summary"}, "summary_text": row["summary"]}


def _print_run_cost(run: dict[str, Any], saved: SavingsReport | None) -> None:
    """What the resources the run acted on cost when it started, and what it saved since."""
    costs = run.get("costs") or []
    if not costs:
        return
    hourly = sum(c["usd_per_hour"] for c in costs)
    unknown = sum(1 for c in costs if not c["known"])
    line = f"the {len(costs)} resources it acted on cost {rate(hourly, unknown)} when it started"
    if saved is not None:
        line += (
            f"; saved so far {usd(saved.saved_usd, saved.unknown)}, still saving "
            f"{usd(saved.projected_usd_per_month, saved.unknown)}/month"
        )
    out.print(line, highlight=False, soft_wrap=True)
