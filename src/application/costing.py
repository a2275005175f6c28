"""Cost estimates: the resources a command found, priced with the book in use."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from costzero.application.ports import Clock, Pricer, PriceSource
from costzero.domain.costing import CostSheet, PriceInfo, ResourceCost, Usage, price_resources
from costzero.domain.pricing import PriceBook
from costzero.domain.resources import Resource

NO_BOOK = "no price book: every price is unknown; run `costzero prices refresh`"


@contextmanager
def _no_collector_pauses() -> Iterator[None]:
    """Pricing allocates a few small objects per resource and creates no reference cycles (they
    are freed as they go); the cycle collector's passes over a big heap only slow it down (100,000
    resources: about 1.2 s with them, 0.8 s without, `make bench`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def acted_costs(sheet: CostSheet | None, resources: Iterable[Resource]) -> list[ResourceCost]:
    """The priced rows of the resources a run acts on (none without a sheet)."""
    if sheet is None:
        return []
    found = (sheet.get(r.ref) for r in resources)
    return [cost for cost in found if cost is not None]


class CostEstimator:
    """Prices resources with the handlers' usage and the price book (loaded once, on first use).

    A type without a pricer (not in the catalogue) is priced as unknown, never as free.
    """

    def __init__(self, pricers: Mapping[str, Pricer], prices: PriceSource, clock: Clock) -> None:
        self._pricers = pricers
        self._prices = prices
        self._clock = clock
        self._book: PriceBook | None = None
        self._loaded = False

    def book(self) -> PriceBook | None:
        if not self._loaded:
            self._book = self._prices.book()
            self._loaded = True
        return self._book

    def price_info(self) -> PriceInfo:
        book = self.book()
        if book is None:
            return PriceInfo("none", None, NO_BOOK)
        warning = ""
        now = self._clock.now()
        if book.stale(now):
            days = book.age(now).days
            warning = f"prices are {days} days old ({book.source}); run `costzero prices refresh`"
        return PriceInfo(book.source, book.generated_at, warning)

    def sheet(self, resources: Iterable[Resource]) -> CostSheet:
        free = {key: p.free_because or "" for key, p in self._pricers.items()}
        book = self.book()
        with _no_collector_pauses():
            costs = price_resources(resources, self._usage, free, book)
        return CostSheet(costs, self.price_info())

    def _usage(self, resource: Resource) -> Sequence[Usage]:
        pricer = self._pricers.get(resource.type_key)
        if pricer is None:
            return (Usage("", f"{resource.type_key} (not in the catalogue)", "", None),)
        return pricer.usage(resource)
