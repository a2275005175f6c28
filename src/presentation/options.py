"""Shared CLI plumbing: option types, the error guard (one line, exit code), the consoles."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from costzero.domain.errors import BadInputError, CostZeroError, SafetyRefusal

EXIT_LEFT, EXIT_BAD_INPUT, EXIT_REFUSED, EXIT_INTERRUPTED = 1, 2, 3, 130

STATE: dict[str, bool] = {"debug": False, "hard_exit": False}

Regions = Annotated[list[str] | None, typer.Option("--region", "-r", help="Region (repeatable) or 'all'.")]
Services = Annotated[
    list[str] | None, typer.Option("--service", "-s", help="Service, e.g. ec2 (repeatable).")
]
Types = Annotated[list[str] | None, typer.Option("--type", "-t", help="Type, e.g. ec2:volume (repeatable).")]
Accounts = Annotated[
    list[str] | None, typer.Option("--account", help="Account allowed for this run (repeatable).")
]
ExcludeTags = Annotated[
    list[str] | None, typer.Option("--exclude-tag", help="Keep resources tagged K=V or K.")
]
ConfigFile = Annotated[Path | None, typer.Option("--config", "-c", help="costzero.yaml to read.")]
MaxResources = Annotated[int | None, typer.Option("--max-resources", help="Refuse runs larger than this.")]
Profile = Annotated[str | None, typer.Option("--profile", help="Named AWS profile (default: AWS_PROFILE).")]
ReportFile = Annotated[
    Path | None, typer.Option("--report", help="Write the run's report here after it (.html, .json or .csv).")
]
Live = Annotated[bool, typer.Option("--live/--no-live", help="Live progress view of a real run.")]
DisableProtection = Annotated[
    list[str] | None,
    typer.Option(
        "--disable-protection",
        help="Turn off this type's deletion/termination protection to delete it (repeatable).",
    ),
]
IncludeDefaults = Annotated[
    bool,
    typer.Option(
        "--include-defaults", help="Also the default VPC and its default subnets, routes, ACL, group."
    ),
]
SkipFinalSnapshot = Annotated[
    bool,
    typer.Option(
        "--skip-final-snapshot",
        help="Delete RDS DB instances, RDS DB clusters and Redshift clusters without a final snapshot.",
    ),
]
RetainFailed = Annotated[
    bool,
    typer.Option(
        "--retain-failed-stack-resources",
        help="A CloudFormation stack that keeps failing to delete is deleted leaving what it could not"
        " delete (RetainResources); a later destroy deletes those on their own.",
    ),
]


def _fail(message: str) -> None:
    """One line on stderr, never wrapped."""
    sys.stderr.write(" ".join(message.split()) + "\n")


@contextmanager
def guard() -> Iterator[None]:
    """Map the error hierarchy to one-line messages and exit codes."""
    try:
        yield
    except SafetyRefusal as error:
        _fail(f"refused: {error}")
        raise typer.Exit(EXIT_REFUSED) from None
    except BadInputError as error:
        _fail(f"error: {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except CostZeroError as error:
        _fail(f"error: {error}")
        raise typer.Exit(EXIT_LEFT) from None
    except KeyboardInterrupt:
        _fail("aborted; a run already started is recorded as interrupted (see costzero runs list)")
        if STATE["hard_exit"]:
            sys.stdout.flush()
            os._exit(EXIT_INTERRUPTED)  # do not wait for the worker threads' calls
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:
        if STATE["debug"]:
            raise
        _fail(f"unexpected error: {type(error).__name__}: {error} (run with --debug for details)")
        raise typer.Exit(EXIT_LEFT) from None


def overrides(
    exclude_tags: list[str] | None = None,
    max_resources: int | None = None,
    profile: str | None = None,
    disable_protection: list[str] | None = None,
    include_defaults: bool = False,
    skip_final_snapshot: bool = False,
    retain_failed_stack_resources: bool = False,
) -> dict[str, Any]:
    """The settings that flags override (None: keep the configured value)."""
    return {
        "exclude_tags": exclude_tags or None,
        "max_resources": max_resources,
        "profile": profile,
        "disable_protection": disable_protection or None,
        "include_defaults": include_defaults or None,
        "skip_final_snapshot": skip_final_snapshot or None,
        "retain_failed_stack_resources": retain_failed_stack_resources or None,
    }


def ask_account(what: str, account: str, *, err: bool = False) -> str:
    """Ask the user to type the account ID (or alias) before `what` happens to it (on stderr when
    stdout holds a JSON or CSV document)."""
    if not sys.stdin.isatty() and sys.stdin.closed:
        raise SafetyRefusal("no terminal to confirm on; use --yes with an allow-listed account")
    try:
        return str(
            typer.prompt(
                f"This {what} in account {account}. Type the account ID (or alias) to confirm",
                default="",
                show_default=False,
                err=err,
            )
        )
    except (typer.Abort, EOFError):
        raise SafetyRefusal("confirmation not given; nothing was changed") from None
