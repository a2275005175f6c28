"""Ports: what the core needs from the outside world, owned by the core.

Adapters live in `costzero.infrastructure`; fakes for every port live in `tests/fakes/`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from costzero.domain.costing import ResourceCost, Usage
from costzero.domain.events import RunEvent
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.parking import ParkStep, Snapshot
from costzero.domain.pricing import PriceBook
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.domain.spend import Spend, SpendGrouping


class Discoverer(Protocol):
    """Lists the resources of one type: what every command's planning needs of a handler."""

    @property
    def spec(self) -> ResourceTypeSpec: ...

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        """The resources at `location`; for global types, those whose own region is in `regions`."""
        ...


class ResourceHandler(Protocol):
    """Discovers and acts on the resources of one type.

    Every method may be called from several worker threads at once, for different locations.
    `delete` and `confirm_gone` return exactly one outcome per resource given, in any order, and never
    raise for a per-resource problem: they translate it into an outcome (see OutcomeKind). `delete`
    must be idempotent: a resource already gone is GONE, not an error. It chunks the resources into
    calls of at most `spec.delete_batch_size` itself.

    Raises:
        CloudError (or a subclass) only when the whole call cannot proceed (endpoint unreachable,
        credentials missing, permission denied on discovery).
    """

    @property
    def spec(self) -> ResourceTypeSpec: ...

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        """The resources at `location`; for global types, those whose own region is in `regions`."""
        ...

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """Start deleting; DONE when the call itself settles it, PENDING when AWS works on."""
        ...

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """DONE for each resource now confirmed gone, PENDING for those still going away."""
        ...


class CloudAccess(Protocol):
    """Sessions and clients for the accounts and regions of a run."""

    def caller_account(self) -> str:
        """The account ID of the credentials in use. Raises EndpointUnreachableError /
        CredentialsError when the provider cannot be reached or nothing authenticates."""
        ...

    def prepare(self, locations: Iterable[tuple[str, str, str]]) -> None:
        """Build the clients for (account, region, service) triples before the workers start."""
        ...

    def enabled_regions(self) -> tuple[str, ...]:
        """The regions the account can use, for `--region all` and for validating names."""
        ...


@dataclass(frozen=True)
class Completion:
    key: Hashable
    result: Any = None
    error: BaseException | None = None


class TaskExecutor(Protocol):
    """Runs work items concurrently; the orchestrator decides what to submit and when."""

    @property
    def workers(self) -> int: ...

    def submit(self, key: Hashable, work: Callable[[], Any]) -> None:
        """Start `work` (eventually). Its result or exception comes back from `next_completed`."""
        ...

    def next_completed(self, timeout: float | None) -> Completion | None:
        """Block until a submitted item finishes (its Completion) or `timeout` seconds pass (None)."""
        ...


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def now(self) -> datetime:
        """The current UTC time."""
        ...

    def sleep(self, seconds: float) -> None: ...


class RunRepository(Protocol):
    """Stores runs, their tasks and every resource action. Safe to call from several threads."""

    def add_run(
        self, run_id: str, kind: str, dry_run: bool, started_at: datetime, params: dict[str, Any]
    ) -> None: ...

    def finish_run(
        self, run_id: str, status: str, finished_at: datetime, summary: dict[str, Any]
    ) -> None: ...

    def record_events(self, events: Sequence[RunEvent]) -> None:
        """Task transitions and resource actions, in order, in one transaction (the run's heartbeat
        moves to the last event's time)."""
        ...

    def record_costs(self, run_id: str, costs: Sequence[ResourceCost]) -> None:
        """The hourly rates of the resources a run acts on, as priced when it started."""
        ...

    def list_runs(self, limit: int = 20) -> list[dict[str, Any]]: ...

    def get_run(self, run_id: str) -> dict[str, Any]:
        """The run with its tasks, actions and costs (see `cost_row`). Raises BadInputError for an
        unknown (prefix of) id."""
        ...

    def get_runs(self, run_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Whole runs, as `get_run` gives them, for these exact ids (unknown ones are left out), read
        in a few queries: for reports over a long history."""
        ...


class ParkHandler(Protocol):
    """Parks (stop) and restores (start) the resources of one type.

    Discovery puts each resource's current settings in `resource.attributes["settings"]` (plain
    JSON-able values). `parked`, `looks_parked`, `in_transition` and `unparkable` are pure rules of
    the type. `stop` and `start` make the mutating calls and answer one outcome per resource: DONE
    when the call settles it, PENDING when AWS works on (then `read` is polled), NOT_YET/THROTTLED
    to be tried again, PROTECTED/DENIED/FAILED for good. They must be safe to repeat.
    """

    @property
    def spec(self) -> ResourceTypeSpec: ...

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]: ...

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The fields of `settings` that parking changes, with their parked values."""
        ...

    def looks_parked(self, settings: Mapping[str, Any]) -> bool: ...

    def in_transition(self, settings: Mapping[str, Any]) -> bool: ...

    def unparkable(self, resource: Resource) -> str | None:
        """Why this resource must not be parked (e.g. an Auto Scaling member), or None."""
        ...

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        """Park the resources (batched as AWS allows); `saved` maps resource id -> its snapshot."""
        ...

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        """Restore the resources to their snapshots' settings."""
        ...

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        """The current settings, or None when the resource no longer exists."""
        ...

    def read_many(
        self, location: Location, resources: Sequence[Resource]
    ) -> dict[str, dict[str, Any] | None]:
        """`read` for each resource, by ID, in as few calls as the API allows."""
        ...

    @property
    def change_limit(self) -> int | None:
        """AWS's cap on this type's parking changes per resource per 24 hours (None: no cap)."""
        ...

    def changes(self, current: Mapping[str, Any], target: Mapping[str, Any]) -> int:
        """How many capped changes take `current` to `target` (0 for types without a cap)."""
        ...

    def restore_target(self, saved: Mapping[str, Any], parked: Mapping[str, Any]) -> dict[str, Any]:
        """What `start` must see again: by default the parked fields' saved values; a type says
        otherwise where AWS chooses a value (an on-demand Kinesis stream's shard count)."""
        ...


class SnapshotRepository(Protocol):
    """Write-once park snapshots. Each call commits before it returns (write-ahead)."""

    def find(self, ref_key: str) -> Snapshot | None:
        """The open (not yet restored) snapshot of a resource, if any."""
        ...

    def open_snapshots(self, account: str | None = None) -> list[Snapshot]: ...

    def history(self, ref_key: str, since: datetime) -> list[Snapshot]:
        """Snapshots of a resource taken or closed after `since`, open and closed alike."""
        ...

    def take(self, snapshot: Snapshot) -> None:
        """Store a new snapshot. Raises SnapshotExistsError if the resource already has an open one."""
        ...

    def move(self, ref_key: str, step: ParkStep, at: datetime, run_id: str, message: str = "") -> None:
        """Advance the open snapshot's step (IllegalTransitionError for a move its lifecycle forbids)."""
        ...


class Checkpoints(Protocol):
    """Named points in a run where a crash is survivable; tests kill the process at them."""

    def reached(self, name: str) -> None: ...


class StateBackup(Protocol):
    """Keeps a copy of the park-snapshot mirror outside the local database."""

    def save(self, state: Mapping[str, Any]) -> None:
        """Write the whole mirror; raises CloudError when it cannot."""
        ...


class Pricer(Protocol):
    """What a type's resources use, in priced dimensions (each handler declares its own).

    `usage` reads only the resource's discovered attributes (no API call). A type that declares
    no usage says why in `free_because` ("billed as its EC2 instances", "no charge of its own").
    """

    free_because: str | None

    def usage(self, resource: Resource) -> Sequence[Usage]: ...


class PriceSource(Protocol):
    def book(self) -> PriceBook | None:
        """The prices to use (cache over the bundled snapshot); None when there are none.

        Raises:
            BadInputError: a price file exists but cannot be read (one line).
        """
        ...


class SpendSource(Protocol):
    """Actual spend as the provider bills it (AWS Cost Explorer), per group, over whole UTC days."""

    def spend(self, start: date, end: date, grouping: SpendGrouping, refresh: bool = False) -> Spend:
        """The unblended cost of each group from `start` up to `end` (exclusive).

        A source may answer from its cache of the same request made earlier the same UTC day
        (`Spend.cached`); `refresh` asks the provider again.

        Raises:
            CloudError: the provider refuses (no permission, no data yet), in one line.
        """
        ...
