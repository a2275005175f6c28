"""What resources cost: their usage (declared by each type's handler) priced from a price book.

A resource's cost is the sum of its `Usage` dimensions, each `quantity` units per hour (or per
month, for GB-Mo storage and alarms) times the book's price of its usage type in the resource's
region. Two parts matter for parking: `compute` is what a stop ends (instance hours, provisioned
capacity), `storage` keeps billing until the resource is deleted (EBS, RDS storage, snapshots).
A dimension the book has no price for, or whose quantity discovery could not read, is "unknown":
never a silent zero.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from costzero.domain.errors import BadInputError
from costzero.domain.pricing import HOURS_PER_MONTH, PriceBook, PriceKey
from costzero.domain.resources import Action, Ref, Resource

MEMBER_RELATION = "belongs to"  # an instance "belongs to" its Auto Scaling group or environment
GROUP_BYS = ("service", "region", "type", "account", "tag:KEY")


class CostPart(StrEnum):
    COMPUTE = "compute"  # billed while it runs: a stop saves it
    STORAGE = "storage"  # billed while it exists: only a destroy saves it


@dataclass(frozen=True, slots=True)
class Usage:
    """One price dimension of a resource, as its handler reads it from the resource's attributes.

    `usage_type` is the Price List's and Cost Explorer's USAGE_TYPE without its region prefix
    ("BoxUsage:t3.micro", "EBS:VolumeUsage.gp3"), `unit` the Price List's unit ("Hrs", "GB-Mo").
    `quantity` is units per hour, or per month when `monthly` (GB-Mo, alarms); None when discovery
    could not read it (the dimension is then unknown).
    """

    service: str  # Price List service code: AmazonEC2, AmazonS3 ...
    usage_type: str
    unit: str
    quantity: float | None
    part: CostPart = CostPart.COMPUTE
    monthly: bool = False
    note: str = ""  # what the quantity is, for breakdowns: "100 GiB gp3", "2 x ml.t3.medium"

    def hourly(self, price: float) -> float:
        quantity = self.quantity or 0.0
        return price * quantity / HOURS_PER_MONTH if self.monthly else price * quantity


@dataclass(frozen=True, slots=True)
class ResourceCost:
    """USD per hour of one resource, by part, with the dimensions that could not be priced."""

    resource: Resource
    compute: float = 0.0
    storage: float = 0.0
    unknown: tuple[Usage, ...] = ()
    free: str = ""  # why the type costs nothing of its own (declared by its handler)

    @property
    def hourly(self) -> float:
        return self.compute + self.storage

    @property
    def monthly(self) -> float:
        return self.hourly * HOURS_PER_MONTH

    @property
    def known(self) -> bool:
        return not self.unknown

    def as_row(self) -> dict[str, Any]:
        """As runs record it and reports show it (`usage` names what could not be priced)."""
        resource = self.resource
        return cost_row(
            resource.type_key,
            resource.id,
            resource.name,
            resource.account,
            resource.region,
            self.compute,
            self.storage,
            self.known,
        ) | {"unknown": [u.note or u.usage_type for u in self.unknown], "free": self.free}


def cost_row(
    type_key: str,
    resource_id: str,
    name: str | None,
    account: str,
    region: str,
    compute: float,
    storage: float,
    known: bool,
) -> dict[str, Any]:
    """One resource's rate as plain data: the shape `runs show`, reports and JSON share."""
    hourly = compute + storage
    return {
        "type": type_key,
        "id": resource_id,
        "name": name,
        "account": account,
        "region": region,
        "usd_per_hour": round(hourly, 6),
        "usd_per_month": round(hourly * HOURS_PER_MONTH, 2),
        "compute_usd_per_hour": round(compute, 6),
        "storage_usd_per_hour": round(storage, 6),
        "known": known,
    }


@dataclass
class Totals:
    """USD per hour of a set of resources; `unknown` counts those with a dimension not priced."""

    resources: int = 0
    compute: float = 0.0
    storage: float = 0.0
    unknown: int = 0

    def add(self, cost: ResourceCost, compute: bool = True, storage: bool = True) -> None:
        self.resources += 1
        self.compute += cost.compute if compute else 0.0
        self.storage += cost.storage if storage else 0.0
        self.unknown += 0 if cost.known else 1

    @property
    def hourly(self) -> float:
        return self.compute + self.storage

    @property
    def monthly(self) -> float:
        return self.hourly * HOURS_PER_MONTH

    def as_dict(self) -> dict[str, float | int]:
        return {
            "resources": self.resources,
            "usd_per_hour": round(self.hourly, 6),
            "usd_per_month": round(self.monthly, 2),
            "compute_usd_per_hour": round(self.compute, 6),
            "storage_usd_per_hour": round(self.storage, 6),
            "unknown": self.unknown,
        }


@dataclass(frozen=True)
class Savings:
    """What an action on a set of resources saves per hour, and what still bills after it."""

    action: Action
    saved: Totals
    still_billed: Totals


@dataclass(frozen=True)
class PriceInfo:
    """Where the prices came from; `warning` says when estimates are unreliable (old or no book)."""

    source: str
    generated_at: datetime | None
    warning: str = ""


@dataclass(frozen=True)
class CostSheet:
    items: tuple[ResourceCost, ...]
    prices: PriceInfo
    _by_ref: dict[Ref, ResourceCost] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_ref", {c.resource.ref: c for c in self.items})

    def get(self, ref: Ref) -> ResourceCost | None:
        return self._by_ref.get(ref)

    def total(self) -> Totals:
        totals = Totals()
        for cost in self.items:
            totals.add(cost)
        return totals

    def grouped(self, by: str) -> dict[str, Totals]:
        """Totals per service, region, type, account or tag value (`tag:KEY`), largest first."""
        key = group_key(by)
        groups: dict[str, Totals] = {}
        for cost in self.items:
            groups.setdefault(key(cost.resource), Totals()).add(cost)
        return dict(sorted(groups.items(), key=lambda item: (-item[1].hourly, item[0])))

    def top(self, n: int = 10) -> list[ResourceCost]:
        """The n most expensive resources (ties by type and id, for a stable order)."""
        ranked = sorted(self.items, key=lambda c: (-c.hourly, c.resource.type_key, c.resource.id))
        return [c for c in ranked[:n] if c.hourly > 0 or not c.known]

    def savings(self, action: Action, refs: Collection[Ref]) -> Savings:
        """What `action` on the resources `refs` saves: a destroy all of their cost, a stop their
        compute (storage keeps billing). Members of an acted-on group (the instances that belong
        to an environment or Auto Scaling group) go with it, and count once."""
        acted = set(refs)
        for cost in self.items:
            links = cost.resource.links
            if any(k.relation == MEMBER_RELATION and cost.resource.ref_of(k) in acted for k in links):
                acted.add(cost.resource.ref)
        saved, still = Totals(), Totals()
        for ref in sorted(acted):
            found = self._by_ref.get(ref)
            if found is None:
                continue
            if action is Action.DELETE:
                saved.add(found)
            elif action is Action.STOP:
                saved.add(found, storage=False)
                if found.storage:
                    still.add(found, compute=False)
        return Savings(action, saved, still)


def group_key(by: str) -> Callable[[Resource], str]:
    """The grouping of `--group-by`. Raises BadInputError (one line) for anything else."""
    if by == "service":
        return lambda r: r.type_key.split(":", 1)[0]
    if by == "region":
        return lambda r: r.region
    if by == "type":
        return lambda r: r.type_key
    if by == "account":
        return lambda r: r.account
    if by.startswith("tag:") and len(by) > 4:
        tag = by[4:]

        def tag_value(resource: Resource) -> str:
            if resource.tags is None:
                return "(tags unreadable)"
            return resource.tags.get(tag, f"(no {tag} tag)")

        return tag_value
    raise BadInputError(f"cannot group by {by!r}: use one of {', '.join(GROUP_BYS)}")


def price_resources(
    resources: Iterable[Resource],
    usage_of: Callable[[Resource], Sequence[Usage]],
    free_of: Mapping[str, str],
    book: PriceBook | None,
) -> tuple[ResourceCost, ...]:
    """Each resource's cost: its usage (from `usage_of`, its type's handler) priced in its region.
    `free_of` says, per type, why a type declares no usage. Without a book every dimension is
    unknown."""
    prices = book.prices if book is not None else {}
    costs = []
    for resource in resources:
        usages = usage_of(resource)
        if not usages:
            costs.append(ResourceCost(resource, free=free_of.get(resource.type_key, "")))
            continue
        compute = storage = 0.0
        unknown: list[Usage] = []
        region = resource.region
        for usage in usages:
            if usage.quantity == 0:
                continue  # none used (a stopped instance's hours): nothing to pay, priced or not
            price = prices.get(PriceKey(usage.service, region, usage.usage_type, usage.unit))
            if price is None or usage.quantity is None:
                unknown.append(usage)
            elif usage.part is CostPart.COMPUTE:
                compute += usage.hourly(price)
            else:
                storage += usage.hourly(price)
        costs.append(ResourceCost(resource, compute, storage, tuple(unknown)))
    return tuple(costs)
