"""Prices as data: what one unit of one usage type costs in one region, and a book of them.

Keys follow the AWS Price List and Cost Explorer: (service code, region, usage type without its
region prefix, unit), e.g. ("AmazonEC2", "eu-central-1", "BoxUsage:t3.micro", "Hrs"), so estimates
and actual spend (Cost Explorer's USAGE_TYPE, which carries the same prefix) join.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

HOURS_PER_MONTH = 730  # AWS's own convention for monthly estimates
STALE_AFTER = timedelta(days=90)

# "EUC1-BoxUsage:t3.micro", "EU-TimedStorage-ByteHrs", "USE2-EBS:VolumeUsage.gp3": the region code
# before the first dash, in capitals (us-east-1's EC2 usage types carry none: "BoxUsage:t3.micro")
_REGION_PREFIX = re.compile(r"^[A-Z]{2,4}[0-9]?-")


def usage_type_key(usage_type: str) -> str:
    """A usage type without its region prefix: the same key in every region."""
    return _REGION_PREFIX.sub("", usage_type, count=1)


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
            {**fallback.prices, **self.prices},
            min(self.generated_at, fallback.generated_at),
            f"{self.source}, then {fallback.source}",
            dict(self.filters),
        )
