"""`costzero demo`: the whole cycle against an embedded moto account. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console

from costzero.infrastructure.demo_seed import DEMO_REGIONS, seed_demo_account
from costzero.infrastructure.moto_server import EmbeddedMotoServer
from costzero.presentation.sdk import CostZero
from costzero.presentation.views import print_plan, print_result, run_with_view

_ISOLATE = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_SESSION_TOKEN": "",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


def _isolate_credentials() -> None:
    """Demo credentials only: no profile, role or SSO of the user's can be picked up."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        os.environ.pop(name, None)
    for name, value in _ISOLATE.items():
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)


def run_demo(console: Console, *, live: bool = True) -> int:
    """Seed, plan, destroy with the live view, verify 0 leftovers. Returns the exit code."""
    _isolate_credentials()
    with EmbeddedMotoServer() as server, tempfile.TemporaryDirectory(prefix="costzero-demo-") as tmp:
        console.print(f"[bold]1. embedded AWS[/bold] (moto) on {server.endpoint_url}")
        counts = seed_demo_account(server.endpoint_url, DEMO_REGIONS)
        console.print(
            f"[bold]2. seeded[/bold] {sum(counts.values())} resources in {', '.join(DEMO_REGIONS)}: "
            + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        )
        settings: dict[str, Any] = {
            "endpoint_url": server.endpoint_url,
            "regions": list(DEMO_REGIONS),
            "database_url": f"sqlite:///{Path(tmp) / 'demo.db'}",
            "wait": {"budget_seconds": 120, "first_delay": 0.2, "max_delay": 1.0},
        }
        with CostZero(None, **settings) as sdk:
            account = sdk.whoami()
            console.print(f"[bold]3. plan[/bold] (dry run, read-only) for the demo account {account}")
            plan = sdk.plan(accounts=[account])  # allow-listed, so --yes is accepted
            print_plan(console, plan, "table")
            console.print("[bold]4. destroy[/bold] (--no-dry-run --yes, allow-listed demo account)")
            result = run_with_view(console, sdk, plan, dry_run=False, confirm=None, yes=True, live=live)
            print_result(console, result)
            left = sdk.plan(accounts=[account]).targets
            console.print(f"[bold]5. verify[/bold]: {len(left)} resources left of the 10 types")
            for resource in left:
                console.print(f"  left: {resource.type_key} {resource.label} in {resource.region}")
            run = sdk.run(result.run_id)
            console.print(
                f"[bold]6. run {run['id']}[/bold]: {run['status']}, "
                f"{len(run['actions'])} resource actions recorded, "
                f"{sum(sdk.api_calls.values())} mutating API calls"
            )
        return 0 if result.ok and not left else 1
