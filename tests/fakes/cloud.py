from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from costzero.domain.errors import CloudError
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import GLOBAL_REGION, Location, Resource, ResourceTypeSpec

ACCOUNT = "111122223333"


class FakeCloud:
    """CloudAccess with a fixed identity and region list; remembers what was prepared."""

    def __init__(self, account: str = ACCOUNT, regions: Sequence[str] = ("us-east-1", "eu-west-1")):
        self.account = account
        self.regions = tuple(regions)
        self.prepared: set[tuple[str, str, str]] = set()

    def caller_account(self) -> str:
        return self.account

    def prepare(self, locations: Iterable[tuple[str, str, str]]) -> None:
        self.prepared.update(locations)

    def enabled_regions(self) -> tuple[str, ...]:
        return self.regions


@dataclass
class FakeHandler:
    """An in-memory ResourceHandler with scripted behaviour a test can assert on.

    - `not_yet[id] = n`: the first n deletes of `id` answer NOT_YET;
    - `polls[id] = n`: after delete, `id` answers PENDING for n confirmations;
    - `blockers[id]`: what its NOT_YET answers name as holding it;
    - `outcome[id] = kind`: delete answers that kind (PROTECTED, DENIED, FAILED ...) for good;
    - `discover_error`: discovery raises it.
    `mutations` counts delete calls (each is one mutating API call here); `attempts[id]` how often
    each resource was in one.
    """

    spec: ResourceTypeSpec
    resources: dict[tuple[str, str], list[Resource]] = field(default_factory=dict)
    not_yet: dict[str, int] = field(default_factory=dict)
    polls: dict[str, int] = field(default_factory=dict)
    outcome: dict[str, OutcomeKind] = field(default_factory=dict)
    blockers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)
    discover_error: Exception | None = None
    mutations: int = 0
    deleted: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, account: str, region: str, resource_id: str, **fields: object) -> Resource:
        resource = Resource(self.spec.key, resource_id, account, region, **fields)  # type: ignore[arg-type]
        where = GLOBAL_REGION if self.spec.is_global else region
        self.resources.setdefault((account, where), []).append(resource)
        return resource

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        if self.discover_error is not None:
            raise self.discover_error
        found = self.resources.get((location.account, location.region), [])
        return [r for r in found if not self.spec.is_global or r.region in regions]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        answers = []
        with self._lock:
            self.mutations += 1
            for resource in resources:
                self.attempts[resource.id] = self.attempts.get(resource.id, 0) + 1
                if resource.id in self.outcome:
                    answers.append(ResourceOutcome(resource.id, self.outcome[resource.id], "scripted"))
                elif self.not_yet.get(resource.id, 0) > 0:
                    self.not_yet[resource.id] -= 1
                    answers.append(
                        ResourceOutcome(
                            resource.id,
                            OutcomeKind.NOT_YET,
                            "DependencyViolation",
                            self.blockers.get(resource.id, ()),
                        )
                    )
                else:
                    self._remove(resource)
                    kind = OutcomeKind.PENDING if self.polls.get(resource.id) else OutcomeKind.DONE
                    answers.append(ResourceOutcome(resource.id, kind))
        return answers

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        answers = []
        with self._lock:
            for resource in resources:
                left = self.polls.get(resource.id, 0)
                if left > 0:
                    self.polls[resource.id] = left - 1
                kind = OutcomeKind.PENDING if self.polls.get(resource.id, 0) > 0 else OutcomeKind.DONE
                answers.append(ResourceOutcome(resource.id, kind))
        return answers

    def _remove(self, resource: Resource) -> None:
        for items in self.resources.values():
            if resource in items:
                items.remove(resource)
        self.deleted.append(resource.id)

    def remaining(self) -> int:
        return sum(len(items) for items in self.resources.values())


def failing(message: str = "AccessDenied: describe") -> CloudError:
    return CloudError(message)
