"""Pricer and PriceSource fakes: usage scripted per resource id, a book given by the test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from costzero.domain.costing import Usage
from costzero.domain.pricing import PriceBook
from costzero.domain.resources import Resource


@dataclass
class FakePricer:
    """`usages[id]` is what a resource uses; `default` for the others."""

    usages: Mapping[str, Sequence[Usage]] = field(default_factory=dict)
    default: Sequence[Usage] = ()
    free_because: str | None = None

    def usage(self, resource: Resource) -> Sequence[Usage]:
        return self.usages.get(resource.id, self.default)


@dataclass
class FakePriceSource:
    prices: PriceBook | None = None
    loads: int = 0

    def book(self) -> PriceBook | None:
        self.loads += 1
        return self.prices
