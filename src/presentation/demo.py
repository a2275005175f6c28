"""`costzero demo`: the whole cycle against an embedded moto account. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console

from costzero.infrastructure.demo_seed import DEMO_REGIONS, seed_alarms, seed_demo_account, seed_network
from costzero.infrastructure.moto_server import EmbeddedMotoServer
from costzero.presentation.cost_views import print_sheet, rate
from costzero.presentation.park_views import print_park_plan, print_park_result
from costzero.presentation.run_report import build, render, write
from costzero.presentation.sdk import CostZero
from costzero.presentation.views import print_plan, print_result, run_view

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
        counts.update(seed_network(server.endpoint_url, "us-east-1"))
        alarms = seed_alarms(server.endpoint_url, "us-east-1")
        console.print(
            f"[bold]2. seeded[/bold] {sum(counts.values())} resources in {', '.join(DEMO_REGIONS)}: "
            + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
            + f", and {alarms} CloudWatch alarms in us-east-1 (a VPC with a NAT gateway, a load"
            " balancer and a database among them)"
        )
        settings: dict[str, Any] = {
            "endpoint_url": server.endpoint_url,
            "regions": list(DEMO_REGIONS),
            "database_url": f"sqlite:///{Path(tmp) / 'demo.db'}",
            "wait": {"budget_seconds": 120, "first_delay": 0.2, "max_delay": 1.0},
            "skip_final_snapshot": True,  # a demo database: no final snapshot to leave behind
        }
        with CostZero(None, **settings) as sdk:
            account = sdk.whoami()
            before = sdk.cost(accounts=[account]).sheet
            console.print(f"[bold]2b. cost[/bold] of the demo account: {rate(before.total().hourly)}")
            print_sheet(console, before, "type", top=5, title="demo account")
            park_types = ["ec2:instance", "cloudwatch:alarm"]
            console.print("[bold]3. park[/bold]: stop instances and alarm actions, settings saved first")
            stop_plan = sdk.plan_stop(types=park_types, accounts=[account], regions=["us-east-1"])
            print_park_plan(console, stop_plan)
            parked = sdk.park(stop_plan, dry_run=False, yes=True)
            print_park_result(console, parked)
            park_saves = sdk.savings(parked.run_id).still_saving_usd_per_hour
            console.print("[bold]4. restore[/bold]: start brings back exactly what was saved")
            start_plan = sdk.plan_start(types=park_types, regions=["us-east-1"])
            print_park_plan(console, start_plan)
            restored = sdk.park(start_plan, dry_run=False)
            print_park_result(console, restored)
            if not restored.ok:
                return 1
            console.print(f"[bold]5. plan[/bold] (dry run, read-only) for the demo account {account}")
            plan = sdk.plan(accounts=[account])  # allow-listed, so --yes is accepted
            print_plan(console, plan)
            console.print("[bold]6. destroy[/bold] (--no-dry-run --yes, allow-listed demo account)")
            total = len(plan.targets) + len(plan.kept)
            with run_view(console, sdk, live=live, doing="destroying", total=total):
                result = sdk.destroy(plan, dry_run=False, yes=True)
            print_result(console, result)
            left = sdk.plan(accounts=[account]).targets
            types = len(sdk.registry.select())
            console.print(f"[bold]7. verify[/bold]: {len(left)} resources left of the {types} types")
            for resource in left:
                console.print(f"  left: {resource.type_key} {resource.label} in {resource.region}")
            run = sdk.run(result.run_id)
            console.print(
                f"[bold]8. run {run['id']}[/bold]: {run['status']}, "
                f"{len(run['actions'])} resource actions recorded, "
                f"{sum(sdk.api_calls.values())} mutating API calls"
            )
            destroy_saves = sdk.savings(result.run_id).still_saving_usd_per_hour
            console.print(
                f"[bold]9. cost[/bold]: the account cost {rate(before.total().hourly)} before; "
                f"parking saved {rate(park_saves)} while parked; the destroy saves {rate(destroy_saves)}",
                highlight=False,
            )
            report = Path(tempfile.gettempdir()) / f"costzero-demo-{result.run_id}.html"
            write(render(build(sdk, result.run_id), "html"), report)
            console.print(
                f"[bold]10. report[/bold] of the destroy (one offline HTML file): {report}", soft_wrap=True
            )
        return 0 if result.ok and not left else 1
