"""`costzero cost --actual`: what AWS billed per group over a period (Cost Explorer), beside what
today's resources would have cost over the same period (the estimate), with what the two leave out.

The join is on the group's name, made comparable first:
- tag:KEY, region and account: Cost Explorer's values are the estimate's (tag values, region codes
  such as "us-east-1" and "global", account IDs), untagged spend is "(no KEY tag)" on both sides;
- usage-type: Cost Explorer's USAGE_TYPE without its region prefix ("EUC1-BoxUsage:t3.micro" ->
  "BoxUsage:t3.micro"), the key the price book and the handlers' usage use: regions add up;
- service: Cost Explorer's service names are mapped to the Price List service codes the estimate
  uses (SERVICE_CODES); a name not mapped keeps its own line, with no estimate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from costzero.application.cleanup import DestroyRequest
from costzero.application.cost_inventory import CostInventory, Inventory
from costzero.application.costing import CostEstimator
from costzero.application.ports import Clock, Pricer, SpendSource
from costzero.domain.costing import (
    CostSheet,
    PriceInfo,
    ResourceCost,
    Totals,
    Usage,
    group_key,
    price_resources,
)
from costzero.domain.pricing import PriceBook, billing_usage_type, usage_type_key
from costzero.domain.resources import Ref, Resource
from costzero.domain.spend import Spend, SpendGrouping, spend_period
from costzero.domain.tasks import TaskKey

# Cost Explorer's SERVICE names (as GetDimensionValues lists them) -> the Price List service codes of
# the usage the handlers declare. EC2's bill is split: instance hours under "- Compute", EBS,
# snapshots and NAT under "EC2 - Other" (older bills: "Amazon Elastic Block Store"); public IPv4
# addresses bill under "Amazon Virtual Private Cloud". ECS and EKS changed names over the years.
SERVICE_CODES: Mapping[str, str] = {
    "Amazon Elastic Compute Cloud - Compute": "AmazonEC2",
    "EC2 - Other": "AmazonEC2",
    "Amazon Elastic Block Store": "AmazonEC2",
    "Amazon Virtual Private Cloud": "AmazonVPC",
    "Amazon Simple Storage Service": "AmazonS3",
    "Amazon Relational Database Service": "AmazonRDS",
    "Amazon DynamoDB": "AmazonDynamoDB",
    "Amazon Kinesis": "AmazonKinesis",
    "AWS Lambda": "AWSLambda",
    "Amazon SageMaker": "AmazonSageMaker",
    "Amazon Elastic Container Service": "AmazonECS",
    "Amazon EC2 Container Service": "AmazonECS",
    "Amazon Elastic Container Service for Kubernetes": "AmazonEKS",
    "Amazon Elastic Kubernetes Service": "AmazonEKS",
    "AmazonCloudWatch": "AmazonCloudWatch",
    "Amazon ElastiCache": "AmazonElastiCache",
    "Amazon Redshift": "AmazonRedshift",
    "Amazon OpenSearch Service": "AmazonES",
    "Amazon Elasticsearch Service": "AmazonES",  # the name on older bills
    "Amazon Elastic Load Balancing": "AWSELB",
    "Amazon EC2 Container Registry (ECR)": "AmazonECR",
    "AWS Key Management Service": "awskms",
    "AWS Secrets Manager": "AWSSecretsManager",
    "Amazon Route 53": "AmazonRoute53",
}
UNPRICED = "(not priced)"  # the usage of a type with no pricer: unknown, never free


@dataclass(frozen=True)
class SpendLine:
    """One group: what AWS billed (None: nothing in Cost Explorer for it) and what its resources
    found today cost per hour (None: costzero found none in it)."""

    group: str
    actual: float | None
    usd_per_hour: float | None
    hours: int
    resources: int = 0
    unknown: int = 0  # resources with a dimension not priced: the estimate is a lower bound
    estimated: bool = False  # Cost Explorer's figure is not final yet
    aws_names: tuple[str, ...] = ()  # the Cost Explorer values behind this line, when they differ

    @property
    def estimate(self) -> float | None:
        """USD for the period if today's resources ran all of it."""
        return None if self.usd_per_hour is None else self.usd_per_hour * self.hours

    @property
    def difference(self) -> float | None:
        """Actual minus estimate; None unless both sides have the group."""
        if self.actual is None or self.estimate is None:
            return None
        return self.actual - self.estimate

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "actual_usd": _round(self.actual),
            "estimate_usd": _round(self.estimate),
            "difference_usd": _round(self.difference),
            "estimate_usd_per_hour": None if self.usd_per_hour is None else round(self.usd_per_hour, 6),
            "resources": self.resources,
            "unknown": self.unknown,
            "estimated": self.estimated,
            "aws_names": list(self.aws_names),
        }


@dataclass(frozen=True)
class SpendReport:
    spend: Spend
    lines: tuple[SpendLine, ...]
    estimate_rate: Totals  # every resource found, per hour
    account: str
    regions: tuple[str, ...]
    prices: PriceInfo
    failures: Mapping[TaskKey, str] = field(default_factory=dict)
    caveats: tuple[str, ...] = ()

    @property
    def group_by(self) -> str:
        return self.spend.grouping.group_by

    @property
    def hours(self) -> int:
        return self.spend.days * 24

    @property
    def actual(self) -> float:
        return self.spend.total

    @property
    def estimate(self) -> float:
        return self.estimate_rate.hourly * self.hours

    def as_dict(self) -> dict[str, Any]:
        spend = self.spend
        return {
            "account": self.account,
            "regions": list(self.regions),
            "group_by": self.group_by,
            "period": {
                "start": spend.start.isoformat(),
                "end": spend.end.isoformat(),
                "end_exclusive": True,
                "days": spend.days,
                "hours": self.hours,
            },
            "actual": {
                "source": "AWS Cost Explorer GetCostAndUsage, UnblendedCost",
                "usd": round(self.actual, 4),
                "estimated": spend.estimated,
                "fetched_at": spend.fetched_at.isoformat(),
                "cached": spend.cached,
                "requests": spend.requests,
            },
            "estimate": {
                "meaning": "if today's resources ran all period at today's on-demand prices",
                "usd": round(self.estimate, 4),
                "usd_per_hour": round(self.estimate_rate.hourly, 6),
                "resources": self.estimate_rate.resources,
                "unknown": self.estimate_rate.unknown,
                "prices": {
                    "source": self.prices.source,
                    "generated_at": self.prices.generated_at.isoformat()
                    if self.prices.generated_at
                    else None,
                    "warning": self.prices.warning or None,
                },
            },
            "difference_usd": round(self.actual - self.estimate, 4),
            "groups": [line.as_dict() for line in self.lines],
            "caveats": list(self.caveats),
            "failures": {str(k): v for k, v in self.failures.items()},
        }


class ActualSpend:
    """Asks the spend source (Cost Explorer, cached per day) first, so a refusal comes before the
    slower listing of today's resources, then lists and prices them (read-only) and joins both."""

    def __init__(
        self,
        source: SpendSource,
        inventory: CostInventory,
        pricers: Mapping[str, Pricer],
        estimator: CostEstimator,
        clock: Clock,
    ) -> None:
        self._source = source
        self._inventory = inventory
        self._pricers = pricers
        self._estimator = estimator
        self._clock = clock

    def report(
        self,
        selection: DestroyRequest,
        *,
        since: str | date,
        until: str | date | None = None,
        group_by: str = "service",
        refresh: bool = False,
    ) -> SpendReport:
        """Raises BadInputError for a bad grouping or period, before any request; CloudError when
        Cost Explorer refuses."""
        grouping = SpendGrouping.of(group_by)
        start, end = spend_period(since, until, self._clock.now().date())
        spend = self._source.spend(start, end, grouping, refresh)
        inventory = self._inventory.inventory(selection)
        return compare(spend, inventory, self._usages, self._estimator.book())

    def _usages(self, resource: Resource) -> Sequence[Usage]:
        pricer = self._pricers.get(resource.type_key)
        if pricer is None:
            return (Usage("", UNPRICED, "", None),)
        return pricer.usage(resource)


@dataclass
class _Estimate:
    hourly: float = 0.0
    refs: set[Ref] = field(default_factory=set)
    unknown: set[Ref] = field(default_factory=set)


def compare(
    spend: Spend,
    inventory: Inventory,
    usages: Callable[[Resource], Sequence[Usage]],
    book: PriceBook | None,
) -> SpendReport:
    """The lines of both sides, largest first (by actual, then estimate), and the caveats."""
    grouping = spend.grouping
    hours = spend.days * 24
    actual: dict[str, list[Any]] = {}  # name -> [amount, estimated, aws names]
    for row in spend.rows:
        name = join_name(grouping, row.group)
        entry = actual.setdefault(name, [0.0, False, []])
        entry[0] += row.amount
        entry[1] = entry[1] or row.estimated
        if row.group != name:
            entry[2].append(row.group)
    estimates = estimate_groups(inventory.sheet, grouping, usages, book)
    lines = []
    for name in set(actual) | set(estimates):
        amount, estimated, names = actual.get(name, [None, False, []])
        found = estimates.get(name)
        lines.append(
            SpendLine(
                name,
                amount,
                found.hourly if found else None,
                hours,
                len(found.refs) if found else 0,
                len(found.unknown) if found else 0,
                estimated,
                tuple(sorted(names)),
            )
        )
    lines.sort(key=lambda line: (-(line.actual or 0.0), -(line.usd_per_hour or 0.0), line.group))
    report = SpendReport(
        spend,
        tuple(lines),
        inventory.sheet.total(),
        inventory.account,
        inventory.regions,
        inventory.sheet.prices,
        dict(inventory.failures),
    )
    return replace(report, caveats=caveats(report))


def join_name(grouping: SpendGrouping, name: str) -> str:
    """A Cost Explorer group's name as the estimate's groups are named (see the module's doc)."""
    if grouping.kind == "DIMENSION" and grouping.key == "USAGE_TYPE":
        return usage_type_key(name)
    if grouping.kind == "DIMENSION" and grouping.key == "SERVICE":
        return SERVICE_CODES.get(name, name)
    return name


def estimate_groups(
    sheet: CostSheet,
    grouping: SpendGrouping,
    usages: Callable[[Resource], Sequence[Usage]],
    book: PriceBook | None,
) -> dict[str, _Estimate]:
    """Today's rate per group: whole resources for tags, regions and accounts; each priced usage
    dimension for services (Price List codes) and usage types, priced exactly as the sheet is."""
    groups: dict[str, _Estimate] = {}
    if grouping.kind == "TAG" or grouping.key in ("REGION", "LINKED_ACCOUNT"):
        key = group_key(grouping.group_by)
        for cost in sheet.items:
            _add(groups.setdefault(key(cost.resource), _Estimate()), cost)
        return groups
    by_service = grouping.key == "SERVICE"
    for cost in sheet.items:
        resource = cost.resource
        for usage in usages(resource):
            priced = _priced(resource, usage, book)
            name = (usage.service or UNPRICED) if by_service else billing_usage_type(usage.usage_type)
            _add(groups.setdefault(name, _Estimate()), priced)
    return groups


def _priced(resource: Resource, usage: Usage, book: PriceBook | None) -> ResourceCost:
    """One dimension priced by the very rule that prices the sheet."""
    return price_resources([resource], lambda _: (usage,), {}, book)[0]


def _add(group: _Estimate, cost: ResourceCost) -> None:
    group.hourly += cost.hourly
    group.refs.add(cost.resource.ref)
    if not cost.known:
        group.unknown.add(cost.resource.ref)


def caveats(report: SpendReport) -> tuple[str, ...]:
    """What the numbers leave out, in the order a reader needs it."""
    spend = report.spend
    grouping = spend.grouping
    found = []
    if grouping.kind == "TAG":
        found.append(
            f"cost allocation tags must be activated (Billing console, Cost allocation tags) before Cost "
            f"Explorer groups by them, and only spend after the activation carries them: until then "
            f"{grouping.key}'s spend shows under '{grouping.untagged}'"
        )
    found.append(
        "Cost Explorer's data lags about a day (AWS refreshes it at least once every 24 hours): the "
        "last day of the period may be missing or incomplete"
    )
    if spend.estimated:
        found.append("figures marked estimated may still change until AWS finalizes the month's bill")
    if spend.cached:
        asked = f"this answer was fetched at {spend.fetched_at:%Y-%m-%d %H:%M} UTC and cached"
    else:
        asked = f"this answer took {spend.requests} request(s), ${spend.requests * 0.01:.2f}"
    found.append(
        f"each Cost Explorer request costs $0.01, so the answer is kept until the end of the UTC day "
        f"({asked}); --refresh asks again"
    )
    found.append(
        f"the estimate is what the resources found today would cost at today's on-demand prices if "
        f"they ran all period ({report.hours} h); actual spend also holds resources already gone, "
        f"data transfer, requests, support, credits and taxes"
    )
    found.append(
        f"actual spend covers every service and region billed to the account (every member account "
        f"when asked from an organization's management account); the estimate only the types costzero "
        f"lists in {', '.join(report.regions) or 'no region'}"
    )
    if grouping.key == "SERVICE" and grouping.kind == "DIMENSION":
        found.append(
            "Cost Explorer's service names are joined to the Price List service codes of the estimate "
            "(AmazonEC2 = 'Amazon Elastic Compute Cloud - Compute' + 'EC2 - Other'); services costzero "
            "does not list have no estimate"
        )
    if grouping.key == "USAGE_TYPE" and grouping.kind == "DIMENSION":
        found.append("usage types are compared without their region prefix: every region's add up")
    units = sorted({row.unit for row in spend.rows} - {"USD"})
    if units:
        found.append(f"some amounts are in {', '.join(units)}, not USD: their sums and differences mix units")
    if report.estimate_rate.unknown:
        found.append(
            f"{report.estimate_rate.unknown} resources have a dimension with no known price: "
            f"their estimate is a lower bound"
        )
    return tuple(found)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
