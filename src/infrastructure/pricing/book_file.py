"""A price book on disk: one JSON document, a header (when, from where, with which filters) and
rows [service, region, usage type, unit, USD per unit]. The package ships one (`prices.json`
beside this module, when generated); `prices refresh` writes one to the user cache directory."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from costzero.domain.errors import BadInputError
from costzero.domain.pricing import PriceBook, PriceKey, RegionPrices

FORMAT = 2  # 1: a list of rows; 2: {region: {"service|usage type|unit": USD}} (loads without a loop)
BUNDLED = Path(__file__).with_name("prices.json")


def write_book(path: Path, book: PriceBook) -> None:
    regions: dict[str, dict[str, float]] = {}
    for key, usd in sorted(book.prices.items()):
        regions.setdefault(key.region, {})[RegionPrices.cell(key)] = usd
    document = {
        "header": {
            "format": FORMAT,
            "generated_at": book.generated_at.isoformat(),
            "source": book.source,
            "filters": dict(book.filters),
            "rows": sum(len(cells) for cells in regions.values()),
        },
        "prices": regions,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    temporary.replace(path)  # a reader never sees half a file


def read_book(path: Path) -> PriceBook:
    """Raises BadInputError (one line) for a file that is not a price book of this format."""
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
        header = document["header"]
        if header.get("format") == 1:  # written by an earlier costzero
            rows = {PriceKey(s, r, u, unit): float(v) for s, r, u, unit, v in document["prices"]}
            prices = RegionPrices.of(rows)
        elif header.get("format") == FORMAT:
            prices = RegionPrices(_checked(document["prices"]))
        else:
            raise ValueError(f"format {header.get('format')!r}, expected {FORMAT}")
        return PriceBook(
            prices, datetime.fromisoformat(header["generated_at"]), header["source"], header["filters"]
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadInputError(f"cannot read price book {path}: {error}") from None


def _checked(regions: Any) -> dict[str, dict[str, float]]:
    """The region tables as they are, once their shape is known to be right (one pass, no copy)."""
    if not isinstance(regions, dict) or not all(isinstance(cells, dict) for cells in regions.values()):
        raise ValueError("prices is not a table of regions")
    return regions


def load_book(cache: Path, bundled: Path = BUNDLED) -> PriceBook | None:
    """The cache over the bundled snapshot; either alone if the other is absent; None if neither.
    A broken cache is an error (one line), never silently ignored."""
    books = [read_book(p) for p in (cache, bundled) if p.is_file()]
    if not books:
        return None
    return books[0] if len(books) == 1 else books[0].merged_over(books[1])
