"""Pricing benchmark: `make bench` (python -m benchmarks.pricing).

1. Pricing 100,000 discovered resources: the demo account is discovered once on a local moto
   server (real handlers, real attributes), its resources are copied to 100,000 (new ids, spread
   over the demo regions), and the real handlers' usage is priced with the bundled book, then
   grouped and ranked. The lower bound measured in the same run: one dict lookup per resource.
   Target: under 1 s.
2. Loading the price book: the bundled snapshot, and a book the size of a full refresh (every
   bundled row copied to 34 regions), each against a bare `json.loads` of the same file. Target:
   the bundled book under 100 ms (it is loaded on first use, by commands that price).
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import bench_sdk, isolate_from_real_aws, save_results
from costzero.application.costing import CostEstimator
from costzero.domain.pricing import PriceBook, PriceKey
from costzero.domain.resources import Resource
from costzero.infrastructure.clock import SystemClock
from costzero.infrastructure.demo_seed import DEMO_REGIONS, seed_region
from costzero.infrastructure.moto_server import EmbeddedMotoServer
from costzero.infrastructure.pricing.book_file import BUNDLED, read_book, write_book

RESOURCES = 100_000
REGIONS = 34  # commercial regions, roughly
ROWS_PER_REGION = 5_000  # on-demand rows of the supported services in one region, roughly


class _Book:
    def __init__(self, book: PriceBook | None) -> None:
        self._book = book

    def book(self) -> PriceBook | None:
        return self._book


def _best(seconds: list[float]) -> float:
    return min(seconds)


def _discovered(directory: str) -> tuple[list[Resource], dict[str, object]]:
    server = EmbeddedMotoServer().start()
    try:
        for region in DEMO_REGIONS:
            seed_region(server.endpoint_url, region)
        with bench_sdk(server, directory, list(DEMO_REGIONS), workers=8) as sdk:
            inventory = sdk.cost(regions=list(DEMO_REGIONS))
            handlers = dict(sdk._container.handlers())
        return [c.resource for c in inventory.sheet.items], handlers
    finally:
        server.stop()


def _copies(resources: list[Resource], count: int) -> list[Resource]:
    return [
        replace(resources[n % len(resources)], id=f"{resources[n % len(resources)].id}-{n}")
        for n in range(count)
    ]


def price_many(directory: str) -> dict[str, float]:
    found, handlers = _discovered(directory)
    many = _copies(found, RESOURCES)
    book = read_book(BUNDLED)
    estimator = CostEstimator(handlers, _Book(book), SystemClock())  # type: ignore[arg-type]
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        sheet = estimator.sheet(many)
        sheet.grouped("type")
        sheet.top(10)
        runs.append(time.perf_counter() - started)
    prices = book.prices
    floor = []
    for _ in range(3):
        started = time.perf_counter()
        for r in many:
            prices.get(PriceKey("AmazonEC2", r.region, r.type_key, "Hrs"))
        floor.append(time.perf_counter() - started)
    total = sheet.total()
    return {
        "resources": len(many),
        "types": len({r.type_key for r in found}),
        "seconds": _best(runs),
        "lower_bound_seconds": _best(floor),
        "usd_per_hour": total.hourly,
    }


def load_books(directory: str) -> dict[str, dict[str, float]]:
    bundled = read_book(BUNDLED)
    big = {  # every bundled row in 34 regions, filled to 5,000 rows a region (a full refresh's size)
        PriceKey(k.service, f"{k.region}-{n}", k.usage_type, k.unit): v
        for n in range(REGIONS)
        for k, v in bundled.prices.items()
    }
    for n in range(REGIONS):
        for m in range(ROWS_PER_REGION - len(bundled.prices)):
            big[PriceKey("AmazonEC2", f"region-{n}", f"BoxUsage:x{m}.large", "Hrs")] = 0.01 * m
    full = Path(directory) / "full.json"
    write_book(full, PriceBook(big, datetime.now(UTC), "synthetic", {}))
    results = {}
    for name, path in (("bundled", BUNDLED), (f"{REGIONS} regions", full)):
        loads, parses = [], []
        for _ in range(5):
            started = time.perf_counter()
            book = read_book(path)
            loads.append(time.perf_counter() - started)
            started = time.perf_counter()
            json.loads(path.read_text(encoding="utf-8"))
            parses.append(time.perf_counter() - started)
        results[name] = {"rows": len(book.prices), "seconds": _best(loads), "json_seconds": _best(parses)}
    return results


def main() -> None:
    isolate_from_real_aws()
    with tempfile.TemporaryDirectory() as directory:
        priced = price_many(directory)
        books = load_books(directory)
    print(f"pricing: {priced['resources']:,} resources of {priced['types']} types (the demo account, copied)")
    ratio = priced["seconds"] / priced["lower_bound_seconds"]
    verdict = "under" if priced["seconds"] < 1 else "OVER"
    print(
        f"  priced, grouped and ranked in {priced['seconds']:.3f} s ({verdict} the 1 s target); "
        f"one dict lookup each: {priced['lower_bound_seconds']:.3f} s ({ratio:.1f}x that)"
    )
    for name, figures in books.items():
        print(
            f"  price book ({name}, {figures['rows']:,} rows): loads in {figures['seconds'] * 1000:.1f} ms; "
            f"json.loads alone {figures['json_seconds'] * 1000:.1f} ms"
            f" ({figures['seconds'] / figures['json_seconds']:.1f}x)"
        )
    bundled_ms = books["bundled"]["seconds"] * 1000
    print(f"  the bundled book adds {bundled_ms:.1f} ms to a command that prices (target: under 100 ms)")
    save_results("pricing", {"pricing": priced, "books": books})


if __name__ == "__main__":
    main()
