from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.costing import Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome, translate

T = TypeVar("T")


class ClientSource(Protocol):
    def client(self, account: str, region: str, service: str) -> Any: ...


# The port methods whose botocore errors are translated at this boundary (see `_translating`).
PORT_METHODS = ("discover", "delete", "confirm_gone", "stop", "start", "read", "read_many")


def _translating(method: Callable[..., T]) -> Callable[..., T]:
    """Let no botocore exception out of a port method: AWS errors become CloudError (temporary or
    not), so the core retries only what AWS said to retry and fails a bug at once."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except (ClientError, BotoCoreError) as error:
            translated = translate(error)
            if translated is error:
                raise
            raise translated from error

    return wrapper


@dataclass(frozen=True)
class HandlerOptions:
    """What the user allowed beyond the defaults, read by the handlers it concerns.

    `disable_protection`: type keys whose protection flag (deletion or termination protection) a
    destroy may turn off; other protected resources answer PROTECTED and stay. `include_defaults`:
    the default VPC and its default subnets, route table, network ACL and security group are
    destroyed too (never otherwise). `skip_final_snapshot`: databases (RDS instances and clusters,
    Redshift clusters: the types whose spec has `final_snapshot`) are deleted without the final
    snapshot they otherwise keep. `retain_failed_stack_resources`: a CloudFormation stack still
    DELETE_FAILED after its attempts is deleted leaving the resources it could not delete.
    """

    disable_protection: frozenset[str] = frozenset()
    include_defaults: bool = False
    skip_final_snapshot: bool = False
    retain_failed_stack_resources: bool = False

    def may_disable_protection(self, type_key: str) -> bool:
        return type_key in self.disable_protection


class AwsHandler:
    """Shared plumbing for boto3 handlers; each subclass declares `spec` and its behaviour.

    Every port method a subclass defines is wrapped so that botocore errors leave it translated.
    """

    spec: ResourceTypeSpec  # set by each subclass, read on the class and on instances

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in PORT_METHODS:
            if name in cls.__dict__:
                setattr(cls, name, _translating(cls.__dict__[name]))

    # the IAM actions the type needs: listing and reading, deleting, and parking (if it parks);
    # `costzero iam-policy` prints the least-privilege policy of a selection from them
    iam_actions: tuple[str, ...] = ()

    def __init__(self, clients: ClientSource, options: HandlerOptions | None = None) -> None:
        self._clients = clients
        self.options = options or HandlerOptions()

    def client(self, location: Location, region: str | None = None, service: str | None = None) -> Any:
        return self._clients.client(location.account, region or location.region, service or self.spec.service)

    def resource(self, location: Location, resource_id: str, **fields: Any) -> Resource:
        return Resource(
            type_key=self.spec.key,
            id=resource_id,
            account=location.account,
            region=fields.pop("region", location.region),
            **fields,
        )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        raise NotImplementedError

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        raise NotImplementedError

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """Default for types whose delete call itself settles it."""
        return [ResourceOutcome(r.id, OutcomeKind.DONE) for r in resources]

    # parking defaults (ParkHandler), for types whose settings never sit mid-change in a listing
    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        raise NotImplementedError

    def read_many(
        self, location: Location, resources: Sequence[Resource]
    ) -> dict[str, dict[str, Any] | None]:
        """One `read` each; types whose API describes many resources per call override this."""
        return {r.id: self.read(location, r) for r in resources}

    def in_transition(self, settings: Mapping[str, Any]) -> bool:
        return False

    # parking: types that declare stop/start implement these (the catalogue test checks it)
    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        raise NotImplementedError

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        raise NotImplementedError

    change_limit: int | None = None  # AWS's cap on parking changes per 24 h, where there is one

    def changes(self, current: Mapping[str, Any], target: Mapping[str, Any]) -> int:
        return 0

    def restore_target(self, saved: Mapping[str, Any], parked: Mapping[str, Any]) -> dict[str, Any]:
        return {k: saved.get(k) for k in parked}

    def unparkable(self, resource: Resource) -> str | None:
        return None

    # pricing (Pricer): each type declares the usage of what it discovers, or says why it has none
    free_because: str | None = None

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Priced dimensions read from the resource's attributes (no API call); none by default,
        which the catalogue test accepts only with `free_because` set."""
        return ()


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def tag_dict(tags: Iterable[Mapping[str, str]] | None) -> dict[str, str]:
    """AWS's [{"Key": k, "Value": v}] as a dict."""
    return {t["Key"]: t.get("Value", "") for t in tags or ()}


def read_tags(
    call: Callable[..., Iterable[Mapping[str, str]] | Mapping[str, str]], *args: Any
) -> dict[str, str] | None:
    """One resource's tags, `call(*args)`, as a dict; None when the call fails, so that tag filters
    keep the resource (fail closed) instead of guessing."""
    try:
        tags = call(*args)
    except (ClientError, BotoCoreError):
        return None
    return dict(tags) if isinstance(tags, Mapping) else tag_dict(tags)


TAG_READERS = 8  # concurrent per-resource tag reads in one discovery (adaptive retries absorb throttling)


def read_all_tags(
    call: Callable[..., Iterable[Mapping[str, str]] | Mapping[str, str]], args: Sequence[tuple[Any, ...]]
) -> list[dict[str, str] | None]:
    """`read_tags(call, *a)` for every `a` in `args`, a few at a time, in order: for types whose
    listing carries no tags and whose resources are many and otherwise cheap to list (alarms)."""
    if len(args) <= 1:
        return [read_tags(call, *a) for a in args]
    with ThreadPoolExecutor(max_workers=min(TAG_READERS, len(args))) as pool:
        return list(pool.map(lambda a: read_tags(call, *a), args))


def done(resource_id: str, message: str = "") -> ResourceOutcome:
    return ResourceOutcome(resource_id, OutcomeKind.DONE, message)


def pending(resource_id: str, message: str = "") -> ResourceOutcome:
    return ResourceOutcome(resource_id, OutcomeKind.PENDING, message)


def each(
    resources: Iterable[Resource],
    call: Callable[[Resource], object],
    operation: str,
    on_error: Callable[[str, ClientError, str], ResourceOutcome] = outcome,
) -> list[ResourceOutcome]:
    """`call(resource)` for every resource, in order, each settled on its own: the ResourceOutcome
    it returns (anything else, such as None or the reply of its one AWS call, is DONE), or, when it
    raises ClientError, `on_error(resource.id, error, operation)`: by default the error table, with
    `operation` the IAM action a DENIED message names.

    A service that reports a state with a code the table cannot tell apart passes its own
    `on_error`, defined in its handler next to the explanation of the quirk.
    """
    outcomes = []
    for resource in resources:
        try:
            result = call(resource)
        except ClientError as error:
            result = on_error(resource.id, error, operation)
        outcomes.append(result if isinstance(result, ResourceOutcome) else done(resource.id))
    return outcomes
