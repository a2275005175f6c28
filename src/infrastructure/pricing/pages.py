"""Price rows written by hand from AWS's public price pages, for when the Query API is out of reach.

One YAML file per service family (`scripts/price_pages/*.yaml`):

    service: AmazonEC2
    source: https://aws.amazon.com/ec2/pricing/on-demand/
    read_on: 2026-12-03            # when the page was read: the book's date is the oldest of these
    unit: Hrs                      # the unit of rows that name none
    prices:
      us-east-1:
        BoxUsage:t3.micro: 0.0104
        EBS:VolumeUsage.gp3: {usd: 0.08, unit: GB-Mo}

Usage types are written without their region prefix (as `PriceKey` keys them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from costzero.domain.errors import BadInputError
from costzero.domain.pricing import PriceBook, PriceKey

PAGES_SOURCE = "AWS public price pages, written by hand"


def read_page(path: Path) -> tuple[dict[PriceKey, float], str, date]:
    """The rows of one page file, its source and the date it was read. BadInputError if malformed."""
    try:
        document: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        service, source, read_on = document["service"], document["source"], document["read_on"]
        default_unit = document.get("unit", "Hrs")
        rows: dict[PriceKey, float] = {}
        for region, usages in document["prices"].items():
            for usage_type, value in usages.items():
                usd, unit = (
                    (value["usd"], value["unit"]) if isinstance(value, dict) else (value, default_unit)
                )
                rows[PriceKey.of(service, region, usage_type, unit)] = float(usd)
        if not isinstance(read_on, date):
            raise ValueError(f"read_on {read_on!r} is not a date")
        return rows, str(source), read_on
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise BadInputError(f"cannot read price page file {path}: {error}") from None


def book_from_pages(paths: Iterable[Path]) -> PriceBook:
    """One book from page files: dated by the oldest reading, its header naming every source."""
    prices: dict[PriceKey, float] = {}
    sources: list[str] = []
    dates: list[date] = []
    for path in sorted(paths):
        rows, source, read_on = read_page(path)
        prices.update(rows)
        sources.append(f"{source} (read {read_on.isoformat()})")
        dates.append(read_on)
    if not prices:
        raise BadInputError("no price page files with rows")
    oldest = min(dates)
    return PriceBook(
        prices,
        datetime(oldest.year, oldest.month, oldest.day, tzinfo=UTC),
        PAGES_SOURCE,
        {
            "pages": sources,
            "services": sorted({k.service for k in prices}),
            "regions": sorted({k.region for k in prices}),
            "terms": "OnDemand, first tier",
        },
    )
