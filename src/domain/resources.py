from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from costzero.domain.errors import RegistryError

GLOBAL_REGION = "global"
_KEY = re.compile(r"^[a-z0-9-]+:[a-z0-9-]+$")


class Scope(StrEnum):
    REGIONAL = "regional"
    GLOBAL = "global"


class Action(StrEnum):
    DELETE = "delete"
    STOP = "stop"
    START = "start"


@dataclass(frozen=True)
class ResourceTypeSpec:
    """What costzero knows about one resource type, as data.

    `requires` names the types whose resources must be *gone* before resources of this type can be
    deleted. Example: `ec2:volume` requires `ec2:instance`, because a volume attached to a running
    instance cannot be deleted; so a destroy deletes instances first, then volumes. `stop` follows
    the same order (dependents are parked before what they depend on is touched) and `start` reads
    the relation backwards (prerequisites come back first).

    `linked_requires` are the `requires` that discovery records resource by resource as Links
    (every instance of an environment carries a "belongs to" link, every attached volume an
    "attached to" link): for those, a destroy waits for the linked resources only, not for the
    whole prerequisite type. The other `requires` stay type-level barriers.

    `transition_seconds` is how long AWS typically takes from an accepted delete (or stop) to the
    confirmed end state (an instance's `shutting-down` to `terminated`): a task in transition is
    checked again around then, and in short polls after it. 0 for types that go at once.

    `taggable` is False for types whose resources carry no tags; a tag filter cannot apply to them,
    so under a tag filter they are kept (fail closed).

    `final_snapshot` is True for databases a destroy deletes keeping a final snapshot of their
    data (named costzero-final-...), unless the user asked to skip it (skip_final_snapshot).
    """

    key: str
    scope: Scope = Scope.REGIONAL
    requires: tuple[str, ...] = ()
    linked_requires: tuple[str, ...] = ()
    actions: frozenset[Action] = frozenset({Action.DELETE})
    delete_batch_size: int = 1
    taggable: bool = True
    description: str = ""
    transition_seconds: float = 0.0
    final_snapshot: bool = False

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise RegistryError(f"resource type key {self.key!r} is not of the form 'service:name'")
        if self.delete_batch_size < 1:
            raise RegistryError(f"{self.key}: delete_batch_size must be >= 1")
        if self.key in self.requires:
            raise RegistryError(f"registry cycle: {self.key} -> {self.key}")
        uncovered = set(self.linked_requires) - set(self.requires)
        if uncovered:
            raise RegistryError(
                f"{self.key}: linked_requires names types it does not require: {sorted(uncovered)}"
            )
        if self.transition_seconds < 0:
            raise RegistryError(f"{self.key}: transition_seconds must be >= 0")

    @property
    def service(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def is_global(self) -> bool:
        return self.scope is Scope.GLOBAL


@dataclass(frozen=True)
class Location:
    """Where a task works: one account and one region (`global` for account-wide types)."""

    account: str
    region: str

    def __str__(self) -> str:
        return f"{self.account}/{self.region}"


Ref = tuple[str, str, str, str]  # a resource's identity: (account, region, type key, ID)


@dataclass(frozen=True)
class Link:
    """A real dependency found by discovery: the resource holding this link cannot be deleted
    while `type_key:id` exists. `relation` reads "<resource> <relation> <id>", e.g. a volume
    "attached to" i-0abc, a snapshot "backing" ami-0abc, a group "used by" i-0abc.

    The linked resource is in the holder's account, and in its region unless `region` says
    otherwise (names repeat across regions: a queue, a database, a log group).

    It is the resource-level form of `ResourceTypeSpec.requires`, in the same direction.
    """

    type_key: str
    id: str
    relation: str
    region: str | None = None

    def describe(self) -> str:
        return f"{self.relation} {self.id}"


@dataclass(frozen=True)
class Resource:
    """One concrete cloud resource found by discovery.

    `tags` is None when the tags could not be read: filters then keep the resource (fail closed).
    `region` is the resource's own region, also for types listed account-wide (S3 buckets).
    `attributes` holds cost-relevant facts (instance type, size in GiB, state, ...).
    `links` are the resources that must be gone before this one can be deleted (see Link).
    """

    type_key: str
    id: str
    account: str
    region: str
    name: str | None = None
    tags: Mapping[str, str] | None = field(default_factory=dict)
    created_at: datetime | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    links: tuple[Link, ...] = ()

    @property
    def ref(self) -> Ref:
        """Its identity in a run: the same ID may name resources in two regions or accounts."""
        return (self.account, self.region, self.type_key, self.id)

    def ref_of(self, link: Link) -> Ref:
        """The identity of what `link` (one of this resource's links) names."""
        return (self.account, link.region or self.region, link.type_key, link.id)

    @property
    def label(self) -> str:
        return f"{self.id} ({self.name})" if self.name and self.name != self.id else self.id
