"""`costzero graph` and `costzero types`: the catalogue of resource types, read-only."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from costzero.domain.errors import BadInputError
from costzero.presentation.graph import TYPE_FIELDS, graph_as_dict, render_graph, type_rows
from costzero.presentation.options import ConfigFile, Services, Types, guard
from costzero.presentation.output import Output, check_output, out, write_csv, write_json
from costzero.presentation.sdk import CostZero


def register(app: typer.Typer, sdk: Callable[[Path | None], CostZero]) -> None:
    @app.command()
    def graph(
        format: Annotated[str, typer.Option("--format", "-f", help="text, mermaid or dot.")] = "text",
        config: ConfigFile = None,
        output: Annotated[
            str, typer.Option("--output", "-o", help="table (the --format) or json.")
        ] = "table",
    ) -> None:
        """The resource-type dependency registry."""
        with guard():
            check_output(output, ("table", "json"))
            if format not in ("text", "mermaid", "dot"):
                raise BadInputError(f"unknown graph format {format!r} (use text, mermaid or dot)")
            with sdk(config) as client:
                registry = client.registry
            if output == "json":
                write_json(graph_as_dict(registry))
            else:
                sys.stdout.write(render_graph(registry, format) + "\n")

    @app.command("iam-policy")
    def iam_policy(
        service: Services = None,
        type: Types = None,
        cost: Annotated[
            bool, typer.Option("--cost/--no-cost", help="Include pricing:GetProducts and ce:GetCostAndUsage.")
        ] = True,
        config: ConfigFile = None,
    ) -> None:
        """The least-privilege IAM policy (JSON) for the selected types: list, delete and park."""
        with guard(), sdk(config) as client:
            write_json(client.iam_policy(services=service, types=type, cost=cost))

    @app.command()
    def types(config: ConfigFile = None, output: Output = "table") -> None:
        """Every resource type: scope, actions, what must be gone first, whether tag filters apply."""
        with guard():
            check_output(output)
            with sdk(config) as client:
                rows = type_rows(client.registry)
            if output == "json":
                write_json({"types": rows})
            elif output == "csv":
                write_csv(rows, TYPE_FIELDS)
            else:
                table = Table(title=f"{len(rows)} resource types")
                table.add_column("type", no_wrap=True)
                for column in ("scope", "actions", "requires gone first", "tag filters"):
                    table.add_column(column, overflow="fold")
                for row in rows:
                    table.add_row(
                        str(row["type"]),
                        str(row["scope"]),
                        ", ".join(row["actions"]),  # type: ignore[arg-type]
                        ", ".join(row["requires"]) or "-",  # type: ignore[arg-type]
                        "yes" if row["tag_filters"] else "no (kept under a tag filter)",
                    )
                out.print(table)
