"""`costzero prices refresh`: the price cache, from the AWS Price List Query API."""

from __future__ import annotations

from collections.abc import Callable

import typer

from costzero.presentation.options import ConfigFile, Profile, Regions, guard
from costzero.presentation.output import Output, check_output, err, write_json
from costzero.presentation.sdk import CostZero

prices_app = typer.Typer(help="The prices behind cost estimates.", no_args_is_help=True)


def register(app: typer.Typer, sdk: Callable[..., CostZero]) -> None:
    @prices_app.command("refresh")
    def refresh(
        region: Regions = None,
        config: ConfigFile = None,
        profile: Profile = None,
        output: Output = "table",
    ) -> None:
        """Rebuild the price cache from pricing:GetProducts (on-demand prices; needs
        pricing:GetProducts permission; read-only, free of charge)."""
        with guard():
            check_output(output, ("table", "json"))
            with sdk(config, profile=profile) as client:
                written = client.refresh_prices(region)
            if output == "json":
                write_json(written)
            else:
                err.print(
                    f"wrote {written['rows']} prices ({written['generated_at']}) to {written['path']}",
                    highlight=False,
                )

    app.add_typer(prices_app, name="prices")
