from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from graphlib import TopologicalSorter

from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import GLOBAL_REGION, Resource
from costzero.domain.tasks import Task, TaskKey


@dataclass(frozen=True)
class Stage:
    """A topological generation of tasks: for display and dry-run output only.

    The orchestrator does not wait for a stage to finish before starting the next one.
    """

    index: int
    tasks: tuple[TaskKey, ...]


@dataclass
class Pipeline:
    """The planned DAG of tasks and, once discovered, the resources each task works on."""

    tasks: dict[TaskKey, Task]
    resources: dict[TaskKey, list[Resource]] = field(default_factory=dict)

    @property
    def stages(self) -> tuple[Stage, ...]:
        sorter = TopologicalSorter({key: task.requires | task.follows for key, task in self.tasks.items()})
        sorter.prepare()
        stages: list[Stage] = []
        while sorter.is_active():
            ready = tuple(sorted(sorter.get_ready()))
            stages.append(Stage(len(stages) + 1, ready))
            sorter.done(*ready)
        return tuple(stages)

    def dependents(self) -> dict[TaskKey, set[TaskKey]]:
        """Task -> the tasks that require it (they wait for it to succeed)."""
        result: dict[TaskKey, set[TaskKey]] = {key: set() for key in self.tasks}
        for key, task in self.tasks.items():
            for required in task.requires:
                result[required].add(key)
        return result

    def followers(self) -> dict[TaskKey, set[TaskKey]]:
        """Task -> the tasks that follow it resource by resource (see Task.follows)."""
        result: dict[TaskKey, set[TaskKey]] = {key: set() for key in self.tasks}
        for key, task in self.tasks.items():
            for followed in task.follows:
                result[followed].add(key)
        return result

    def all_resources(self) -> list[Resource]:
        return [resource for items in self.resources.values() for resource in items]


def plan(
    registry: ResourceRegistry,
    type_keys: Sequence[str],
    regions: Sequence[str],
    accounts: Sequence[str],
    *,
    reverse: bool = False,
    by_links: bool = False,
) -> Pipeline:
    """Expand selected types x regions x accounts into a task DAG.

    Regional types get one task per region; global types one task per account (region `global`).
    Edges come from the registry's `requires`, restricted to the selected types and kept inside one
    account (and one region for regional-to-regional edges). `reverse=True` reads every edge
    backwards, for `start`. `by_links=True` (destroy) turns the edges a type declares covered by
    links (`linked_requires`) into `follows`: its task starts at once and waits resource by
    resource.
    """
    if reverse and by_links:
        raise ValueError("by_links orders deletes: it cannot be combined with reverse")
    specs = [registry.get(key) for key in type_keys]
    selected = {spec.key for spec in specs}

    def keys_for(type_key: str, account: str) -> list[TaskKey]:
        if registry.get(type_key).is_global:
            return [TaskKey(type_key, account, GLOBAL_REGION)]
        return [TaskKey(type_key, account, region) for region in regions]

    forward: dict[TaskKey, set[TaskKey]] = {}
    soft: dict[TaskKey, set[TaskKey]] = {}
    for account in accounts:
        for spec in specs:
            for key in keys_for(spec.key, account):
                forward[key] = set()
                soft[key] = set()
        for spec in specs:
            for key in keys_for(spec.key, account):
                for required in spec.requires:
                    if required not in selected:
                        continue
                    target = soft if by_links and required in spec.linked_requires else forward
                    for candidate in keys_for(required, account):
                        if (
                            key.region == GLOBAL_REGION
                            or candidate.region == GLOBAL_REGION
                            or candidate.region == key.region
                        ):
                            target[key].add(candidate)
    edges = forward if not reverse else _reversed(forward)
    return Pipeline({key: Task(key, frozenset(deps), frozenset(soft[key])) for key, deps in edges.items()})


def _reversed(edges: Mapping[TaskKey, Iterable[TaskKey]]) -> dict[TaskKey, set[TaskKey]]:
    result: dict[TaskKey, set[TaskKey]] = {key: set() for key in edges}
    for key, deps in edges.items():
        for dep in deps:
            result[dep].add(key)
    return result
