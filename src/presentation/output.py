"""Where output goes. With `--output json` or `csv`, stdout holds exactly one document and every
human line (tables, summaries, the live view, prompts) goes to stderr; with `table`, all to stdout."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

import typer
from rich.console import Console

from costzero.domain.errors import BadInputError

out = Console()  # resolves sys.stdout at each write, so CliRunner's capture works
err = Console(stderr=True)

FORMATS = ("table", "json", "csv")
Output = Annotated[str, typer.Option("--output", "-o", help="table, json or csv.")]


def check_output(output: str, allowed: Sequence[str] = FORMATS) -> None:
    if output not in allowed:
        raise BadInputError(f"unknown output {output!r} (use {', '.join(allowed)})")


def human(output: str) -> Console:
    """The console for human-readable lines: stdout for tables, stderr when stdout holds a document."""
    return out if output == "table" else err


def write_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, indent=2, default=str) + "\n")


def write_csv(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(fields), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(row.get(key)) for key in fields})


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return " ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else value
