"""The Python SDK: everything the CLI does, as calls. The CLI is a thin shell over this class."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costzero.application.actual_spend import SpendReport
from costzero.application.cleanup import CleanupResult, DestroyPlan
from costzero.application.cost_inventory import Inventory
from costzero.application.parking import ParkPlan, ParkResult
from costzero.application.savings import SavingsReport
from costzero.application.state_file import export_state, import_state
from costzero.domain.costing import CostSheet, PriceInfo
from costzero.domain.events import RunEvent
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Action, Resource

if TYPE_CHECKING:
    from costzero.containers import Container
    from costzero.infrastructure.config import Settings


class CostZero:
    """Plan and run destroys, and read run history.

    Args:
        config_file: a `costzero.yaml`; None reads `./costzero.yaml` when present.
        container: a pre-built container (tests override its providers); built from the settings
            otherwise.
        **overrides: settings that beat the file and `COSTZERO_*` variables (None is ignored).

    Raises:
        BadInputError: the configuration cannot be used (one-line message).

    Use as a context manager, or call `close()`, to release threads and database connections.
    """

    def __init__(
        self, config_file: Path | None = None, *, container: Container | None = None, **overrides: Any
    ) -> None:
        # the container and the adapters behind it are imported on first use, not when the CLI
        # starts: `--help`, `--version` and completion stay fast
        from dependency_injector import providers

        from costzero.containers import Container
        from costzero.infrastructure.config import load_settings

        if container is None:
            self.settings: Settings = load_settings(config_file, overrides)
            container = Container(settings=providers.Object(self.settings))
        else:
            self.settings = container.settings()
        self._container = container

    def __enter__(self) -> CostZero:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._container.shutdown_resources()

    @property
    def registry(self) -> ResourceRegistry:
        return self._container.registry()

    def interrupt(self) -> None:
        """Stop the run in progress early (safe from a signal handler or another thread): no new
        call is started, the calls in flight finish, and the run ends as "interrupted"; finish it
        with `runs resume` (`resume_destroy` / running the same stop or start again)."""
        self._container.stop_signal().request()

    def subscribe(self, listener: Callable[[RunEvent], None]) -> Callable[[], None]:
        """Receive every progress event of the runs this instance makes; returns an unsubscribe."""
        return self._container.monitor().subscribe(listener)

    def whoami(self) -> str:
        """The account ID of the credentials in use.

        Raises:
            EndpointUnreachableError / CredentialsError: AWS cannot be reached.
        """
        return self._container.cloud().caller_account()

    def plan(
        self,
        *,
        regions: Sequence[str] | None = None,
        services: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        accounts: Sequence[str] = (),
    ) -> DestroyPlan:
        """Discover and filter what a destroy would delete. Makes read-only API calls only.

        Args:
            regions: region names, or ["all"]; default from the settings.
            services / types: narrow the resource types (both empty: every type).
            accounts: accounts allowed for this run, added to the settings' allow-list.

        Returns:
            A DestroyPlan: the task DAG with the resources per task, what is kept and why.

        Raises:
            UnknownSelectionError: an unknown region, service or type.
            SafetyRefusal: the account is blocked or not allowed.
            EndpointUnreachableError / CredentialsError: AWS cannot be reached.
        """
        request = self._container.selections().destroy(regions, services, types, accounts)
        return self._container.cleanup().plan(request)

    def destroy(
        self,
        plan: DestroyPlan,
        *,
        dry_run: bool = True,
        confirm: str | None = None,
        yes: bool = False,
    ) -> CleanupResult:
        """Delete what `plan` found, in dependency order; a dry run (the default) only reports.

        Args:
            dry_run: when True nothing is changed; every target is reported as "would-delete".
            confirm: for a real run, the account ID (or alias) as typed by the user.
            yes: skip the typed confirmation; allowed only for accounts in the allow-list.

        Returns:
            CleanupResult with per-task states and per-outcome counts; `ok` is False when a task
            failed or was blocked.

        Raises:
            SafetyRefusal: blast radius exceeded, or the confirmation is missing or wrong; raised
                before any mutating call.
        """
        return self._container.cleanup().execute(plan, dry_run=dry_run, typed=confirm, assume_yes=yes)

    def plan_stop(
        self,
        *,
        regions: Sequence[str] | None = None,
        services: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        accounts: Sequence[str] = (),
        group: str | None = None,
        tags: Mapping[str, str | None] | None = None,
    ) -> ParkPlan:
        """What `stop` would park, with before -> after values. Read-only.

        Args:
            group: a named group from the settings (tags every resource must carry, and types).
            tags: tags every resource must carry (a value of None: the key alone), added to the group's.

        Raises:
            BadInputError: unknown group, region, service or type. SafetyRefusal: account not allowed.
        """
        request = self._container.selections().park(
            Action.STOP, regions, services, types, accounts, group, tags
        )
        return self._container.parking().plan(request)

    def plan_start(
        self,
        *,
        regions: Sequence[str] | None = None,
        services: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        accounts: Sequence[str] = (),
        group: str | None = None,
        tags: Mapping[str, str | None] | None = None,
    ) -> ParkPlan:
        """What `start` would restore: only resources costzero parked (they have a snapshot)."""
        request = self._container.selections().park(
            Action.START, regions, services, types, accounts, group, tags
        )
        return self._container.parking().plan(request)

    def park(
        self, plan: ParkPlan, *, dry_run: bool = True, confirm: str | None = None, yes: bool = False
    ) -> ParkResult:
        """Run a stop or start plan (a dry run by default).

        A real stop needs the typed account ID (or `yes` with an allow-listed account), like destroy;
        start restores without asking. Every step is committed before its call, so a run killed at
        any point is finished by running the same command again (or `runs resume`). After a real
        run, the state file is copied to the configured S3 state bucket, if any.

        Raises:
            SafetyRefusal: an exceeded blast radius (max_resources); for stop, also a missing or
                wrong confirmation.
        """
        return self._container.parking().execute(plan, dry_run=dry_run, typed=confirm, assume_yes=yes)

    def stop(
        self, *, dry_run: bool = True, confirm: str | None = None, yes: bool = False, **selection: Any
    ) -> ParkResult:
        """Plan and run `stop` in one call; `selection` as for `plan_stop`."""
        return self.park(self.plan_stop(**selection), dry_run=dry_run, confirm=confirm, yes=yes)

    def start(self, *, dry_run: bool = True, **selection: Any) -> ParkResult:
        """Plan and run `start` in one call; `selection` as for `plan_start`."""
        return self.park(self.plan_start(**selection), dry_run=dry_run)

    def status(
        self,
        *,
        regions: Sequence[str] | None = None,
        services: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        accounts: Sequence[str] = (),
        group: str | None = None,
    ) -> list[dict[str, Any]]:
        """Per parkable resource: running, parked (since when, by which run), drifted or gone, with
        warnings (RDS restart dates). Read-only."""
        request = self._container.selections().park(Action.STOP, regions, services, types, accounts, group)
        return self._container.parking().status(request)

    def cost(
        self,
        *,
        regions: Sequence[str] | None = None,
        services: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        accounts: Sequence[str] = (),
    ) -> Inventory:
        """What runs now and what it costs: every selected type discovered and priced. Read-only.

        Returns:
            Inventory: the account, regions, a CostSheet (per-resource USD/hour, groupings, top
            resources, where the prices came from) and the listings that failed.
        """
        request = self._container.selections().destroy(regions, services, types, accounts)
        return self._container.inventory().inventory(request)

    def actual_spend(
        self,
        *,
        since: str | date,
        until: str | date | None = None,
        group_by: str = "service",
        refresh: bool = False,
        regions: Sequence[str] | None = None,
        services: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        accounts: Sequence[str] = (),
    ) -> SpendReport:
        """What AWS billed per group from `since` up to `until` (exclusive; default today, UTC),
        from Cost Explorer, beside what the resources found today would cost over the same period.

        Args:
            group_by: service, region, account, usage-type or tag:KEY.
            refresh: ask Cost Explorer again even if today's answer to the same request is cached
                (each request costs $0.01).

        Returns:
            SpendReport: the lines (actual, estimate, difference per group), totals and caveats.

        Raises:
            BadInputError: a bad grouping or date, a period in the future or older than 13 months
                before the current one; checked before any request.
            CloudError: Cost Explorer refuses (no permission, no data yet), in one line.
        """
        request = self._container.selections().destroy(regions, services, types, accounts)
        return self._container.actual_spend().report(
            request, since=since, until=until, group_by=group_by, refresh=refresh
        )

    def prices_in_use(self) -> PriceInfo:
        """Where the prices come from and whether they are too old to trust (more than 90 days)."""
        return self._container.estimator().price_info()

    def cost_sheet(self, resources: Iterable[Resource]) -> CostSheet:
        """Price resources a plan or status found (no API call)."""
        return self._container.estimator().sheet(resources)

    def savings(self, run_id: str | None = None) -> SavingsReport:
        """What real runs saved so far (rate x hours since deleted, or parked until started) and
        what still saves per month; one run's only with `run_id`. Reads the run history only."""
        return self._container.savings().report(run_id)

    def iam_policy(
        self, *, services: Sequence[str] | None = None, types: Sequence[str] | None = None, cost: bool = True
    ) -> dict[str, Any]:
        """The least-privilege IAM policy document for the selected types (all by default): what
        their handlers call to list, delete and park, plus what every command needs.

        Raises:
            UnknownSelectionError: an unknown service or type.
        """
        from costzero.infrastructure.aws.iam_policy import policy_document

        chosen = self.registry.select(services or (), types or ())
        return policy_document(chosen, cost=cost, state_bucket=self.settings.state_backup.bucket)

    def refresh_prices(self, regions: Sequence[str] | None = None) -> dict[str, Any]:
        """Rebuild the price cache from the AWS Price List Query API (on-demand prices of every
        supported service in `regions`, default: the configured ones; "all": every enabled region).

        Returns:
            {"path", "rows", "generated_at", "source", "filters"} of the cache written.

        Raises:
            CloudError / CredentialsError: the API cannot be reached or refuses (one line).
        """
        wanted = list(regions or self.settings.regions)
        if "all" in wanted:
            wanted = list(self._container.cloud().enabled_regions())
        lists = self._container.price_lists()
        book = lists.refresh(wanted)
        return {
            "path": str(lists.cache),
            "rows": len(book.prices),
            "generated_at": book.generated_at.isoformat(),
            "source": book.source,
            "filters": dict(book.filters),
        }

    def export_state(self) -> dict[str, Any]:
        """Every open park snapshot as the JSON state-file mirror (one list per type)."""
        return export_state(self._container.snapshots(), self._container.clock().now())

    def import_state(self, data: Any) -> dict[str, list[str]]:
        """Add the snapshots of a state file that the store does not hold yet.

        Returns:
            {"imported": [...], "kept": [...]}: kept ones already had an open snapshot here, which
            is never overwritten.

        Raises:
            BadInputError: the file is not a valid state file, or an entry's type is not parkable or
                its settings do not fit the type's schema; nothing was imported.
        """
        return import_state(self._container.snapshots(), data, self._container.settings_check())

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The most recent runs, newest first."""
        return self._container.runs().list_runs(limit)

    def run(self, run_id: str) -> dict[str, Any]:
        """One run with its task transitions and resource actions (a unique id prefix works).

        Raises:
            BadInputError: no run, or more than one, matches.
        """
        return self._container.runs().get_run(run_id)

    @property
    def api_calls(self) -> dict[str, int]:
        """Mutating API calls made so far by this instance, per service:operation."""
        return self._container.counter().mutating_calls()
