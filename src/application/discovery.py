from __future__ import annotations

from collections.abc import Mapping, Sequence

from costzero.application.ports import ResourceHandler, TaskExecutor
from costzero.domain.errors import BadInputError, CostZeroError
from costzero.domain.planning import Pipeline
from costzero.domain.resources import Resource
from costzero.domain.tasks import TaskKey


def discover_all(
    pipeline: Pipeline,
    handlers: Mapping[str, ResourceHandler],
    executor: TaskExecutor,
    regions: Sequence[str],
) -> tuple[dict[TaskKey, list[Resource]], dict[TaskKey, str]]:
    """Run every task's discovery concurrently (discovery has no order).

    Returns the resources found per task and, per task whose discovery failed, why. Errors that
    concern the whole run (bad input: unreachable endpoint, no credentials) are raised at once.
    """
    found: dict[TaskKey, list[Resource]] = {}
    failures: dict[TaskKey, str] = {}
    for key in pipeline.tasks:
        handler = handlers[key.type_key]
        executor.submit(key, _bind(handler, key, regions))
    for _ in range(len(pipeline.tasks)):
        completion = executor.next_completed(None)
        assert completion is not None and isinstance(completion.key, TaskKey)
        if completion.error is None:
            found[completion.key] = list(completion.result)
            continue
        error = completion.error
        if isinstance(error, BadInputError):
            _drain(executor, len(pipeline.tasks) - len(found) - len(failures) - 1)
            raise error
        message = str(error) if isinstance(error, CostZeroError) else f"{type(error).__name__}: {error}"
        failures[completion.key] = f"discovery failed: {message}"
    return found, failures


def _bind(handler: ResourceHandler, key: TaskKey, regions: Sequence[str]):  # type: ignore[no-untyped-def]
    return lambda: handler.discover(key.location, regions)


def _drain(executor: TaskExecutor, remaining: int) -> None:
    for _ in range(remaining):
        executor.next_completed(None)
