from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from costzero.application.ports import CloudAccess, Discoverer, TaskExecutor
from costzero.application.selection import resolve_regions
from costzero.domain.errors import BadInputError, CostZeroError
from costzero.domain.planning import Pipeline, plan
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Resource
from costzero.domain.safety import SafetyPolicy
from costzero.domain.tasks import TaskKey


@dataclass(frozen=True)
class Discovered:
    """A planned pipeline for one account and what discovery found (or why not) per task."""

    account: str
    regions: tuple[str, ...]
    pipeline: Pipeline
    found: dict[TaskKey, list[Resource]]
    failures: dict[TaskKey, str]
    # the `context` types, listed in the same pass but not planned (what they tell is read, not acted on)
    context: dict[TaskKey, list[Resource]] = field(default_factory=dict)


def plan_and_discover(
    registry: ResourceRegistry,
    handlers: Mapping[str, Discoverer],
    cloud: CloudAccess,
    executor: TaskExecutor,
    types: Sequence[str],
    requested_regions: tuple[str, ...],
    policy: SafetyPolicy,
    *,
    reverse: bool = False,
    by_links: bool = False,
    context: Sequence[str] = (),
) -> Discovered:
    """The prologue every command shares: check the regions and the caller's account against the
    policy (before anything is listed), plan the DAG, build the clients, discover every task.
    `context` types are listed in the same pass, without tasks of their own (a failed listing of
    one is left out)."""
    regions = resolve_regions(cloud, requested_regions)
    account = cloud.caller_account()
    policy.check_account(account)
    pipeline = plan(registry, types, regions, [account], reverse=reverse, by_links=by_links)
    extra = []
    if context:
        extra = [k for k in plan(registry, context, regions, [account]).tasks if k not in pipeline.tasks]
    keys = [*pipeline.tasks, *extra]
    cloud.prepare(
        (key.account, region, key.service)
        for key in keys
        for region in ((key.region,) if key.region != "global" else (*regions, "global"))
    )
    found, failures = discover_all(keys, handlers, executor, regions)
    seen = {k: found.pop(k) for k in extra if k in found}
    for key in extra:
        failures.pop(key, None)
    return Discovered(account, regions, pipeline, found, failures, seen)


def discover_all(
    keys: Sequence[TaskKey],
    handlers: Mapping[str, Discoverer],
    executor: TaskExecutor,
    regions: Sequence[str],
) -> tuple[dict[TaskKey, list[Resource]], dict[TaskKey, str]]:
    """Run every task's discovery concurrently (discovery has no order).

    Returns the resources found per task and, per task whose discovery failed, why. Errors that
    concern the whole run (bad input: unreachable endpoint, no credentials) are raised at once.
    """
    found: dict[TaskKey, list[Resource]] = {}
    failures: dict[TaskKey, str] = {}
    for key in keys:
        handler = handlers[key.type_key]
        executor.submit(key, _bind(handler, key, regions))
    for _ in range(len(keys)):
        completion = executor.next_completed(None)
        assert completion is not None and isinstance(completion.key, TaskKey)
        if completion.error is None:
            found[completion.key] = list(completion.result)
            continue
        error = completion.error
        if isinstance(error, BadInputError):
            _drain(executor, len(keys) - len(found) - len(failures) - 1)
            raise error
        message = str(error) if isinstance(error, CostZeroError) else f"{type(error).__name__}: {error}"
        failures[completion.key] = f"discovery failed: {message}"
    return found, failures


def _bind(handler: Discoverer, key: TaskKey, regions: Sequence[str]):  # type: ignore[no-untyped-def]
    return lambda: handler.discover(key.location, regions)


def _drain(executor: TaskExecutor, remaining: int) -> None:
    for _ in range(remaining):
        executor.next_completed(None)
