"""Prices as data: what one unit of one usage type costs in one region, and a book of them.

Keys follow the AWS Price List and Cost Explorer: (service code, region, usage type without its
region prefix, unit), e.g. ("AmazonEC2", "eu-central-1", "BoxUsage:t3.micro", "Hrs"), so estimates
and actual spend (Cost Explorer's USAGE_TYPE, which carries the same prefix) join.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

HOURS_PER_MONTH = 730  # AWS's own convention for monthly estimates
STALE_AFTER = timedelta(days=90)

# "EUC1-BoxUsage:t3.micro", "EU-TimedStorage-ByteHrs", "USE2-EBS:VolumeUsage.gp3": a region code
# of capitals ending in a digit, or eu-west-1's "EU" (us-east-1's EC2 usage types carry none:
# "BoxUsage:t3.micro"). Capitals without a digit are part of the usage type: DynamoDB's
# Standard-IA "IA-TimedStorage-ByteHrs" keeps its "IA-". KMS prefixes the region's own name:
# "us-east-1-KMS-Keys", "ap-southeast-2-KMS-Requests".
_REGION_PREFIX = re.compile(r"^(?:[A-Z]{2,4}[0-9]|EU|[a-z]{2}(?:-[a-z]+)+-[0-9])-")


def usage_type_key(usage_type: str) -> str:
    """A usage type without its region prefix: the same key in every region."""
    return _REGION_PREFIX.sub("", usage_type, count=1)


def billing_usage_type(usage_type: str) -> str:
    """A priced usage type as Cost Explorer bills it: without the qualifier costzero adds where one
    usage type has several prices ("InstanceUsage:db.t3.micro@postgres" per RDS engine,
    "BoxUsage:t3.micro (RunInstances:0002)" per EC2 platform)."""
    return usage_type.split(" (", 1)[0].split("@", 1)[0]


class PriceKey(NamedTuple):
    """A tuple, so that a book of tens of thousands of rows loads and answers fast. Build keys
    from AWS's own usage types with `PriceKey.of`, which strips the region prefix."""

    service: str  # the Price List service code: AmazonEC2, AmazonRDS, AmazonS3 ...
    region: str
    usage_type: str  # without its region prefix (usage_type_key)
    unit: str  # as the Price List says: Hrs, GB-Mo, Requests ...

    @classmethod
    def of(cls, service: str, region: str, usage_type: str, unit: str) -> PriceKey:
        return cls(service, region, usage_type_key(usage_type), unit)


class RegionPrices(Mapping[PriceKey, float]):
    """Prices stored as a price file holds them, {region: {"service|usage type|unit": USD}}, read
    as a Mapping of PriceKeys: loading builds no key objects, so a book of every region loads in
    the time its JSON takes to parse."""

    __slots__ = ("_regions",)

    def __init__(self, regions: Mapping[str, Mapping[str, float]]) -> None:
        self._regions = regions

    @staticmethod
    def cell(key: PriceKey) -> str:
        return f"{key.service}|{key.usage_type}|{key.unit}"

    @classmethod
    def of(cls, prices: Mapping[PriceKey, float]) -> RegionPrices:
        regions: dict[str, dict[str, float]] = {}
        for key, usd in prices.items():
            regions.setdefault(key.region, {})[cls.cell(key)] = usd
        return cls(regions)

    def as_regions(self) -> Mapping[str, Mapping[str, float]]:
        return self._regions

    def __getitem__(self, key: PriceKey) -> float:
        region = self._regions.get(key[1])
        if region is None:
            raise KeyError(key)
        return region[f"{key[0]}|{key[2]}|{key[3]}"]

    def get(self, key: PriceKey, default: float | None = None) -> float | None:  # type: ignore[override]
        region = self._regions.get(key[1])
        if region is None:
            return default
        return region.get(f"{key[0]}|{key[2]}|{key[3]}", default)

    def __iter__(self) -> Iterator[PriceKey]:
        for region, cells in self._regions.items():
            for cell in cells:
                service, usage_type, unit = cell.split("|", 2)
                yield PriceKey(service, region, usage_type, unit)

    def __len__(self) -> int:
        return sum(len(cells) for cells in self._regions.values())


@dataclass(frozen=True)
class PriceBook:
    """On-demand USD prices per unit, with where and when they came from.

    `price` answers None for a key the book does not hold: never a silent zero.
    """

    prices: Mapping[PriceKey, float]
    generated_at: datetime
    source: str  # "AWS Price List Query API", a cache path, or the public pages it was written from
    filters: Mapping[str, object] = field(default_factory=dict)

    def price(self, key: PriceKey) -> float | None:
        return self.prices.get(key)

    def age(self, now: datetime) -> timedelta:
        return now - self.generated_at

    def stale(self, now: datetime) -> bool:
        """Older than 90 days: estimates should say so."""
        return self.age(now) > STALE_AFTER

    def merged_over(self, fallback: PriceBook) -> PriceBook:
        """This book's prices, and the fallback's where this one has none (cache over snapshot)."""
        return PriceBook(
            _Merged(self.prices, fallback.prices),
            min(self.generated_at, fallback.generated_at),
            f"{self.source}, then {fallback.source}",
            dict(self.filters),
        )


class _Merged(Mapping[PriceKey, float]):
    """The first mapping's prices, then the second's: no copy of either."""

    __slots__ = ("_first", "_second")

    def __init__(self, first: Mapping[PriceKey, float], second: Mapping[PriceKey, float]) -> None:
        self._first, self._second = first, second

    def __getitem__(self, key: PriceKey) -> float:
        found = self._first.get(key)
        return found if found is not None else self._second[key]

    def get(self, key: PriceKey, default: float | None = None) -> float | None:  # type: ignore[override]
        found = self._first.get(key)
        return found if found is not None else self._second.get(key, default)

    def __iter__(self) -> Iterator[PriceKey]:
        yield from self._first
        yield from (key for key in self._second if key not in self._first)

    def __len__(self) -> int:
        return sum(1 for _ in self)
