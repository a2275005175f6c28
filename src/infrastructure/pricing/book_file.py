"""A price book on disk: one JSON document, a header (when, from where, with which filters) and
rows [service, region, usage type, unit, USD per unit]. The package ships one (`prices.json`
beside this module, when generated); `prices refresh` writes one to the user cache directory."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from costzero.domain.errors import BadInputError
from costzero.domain.pricing import PriceBook, PriceKey

FORMAT = 1
BUNDLED = Path(__file__).with_name("prices.json")


def write_book(path: Path, book: PriceBook) -> None:
    rows = [[k.service, k.region, k.usage_type, k.unit, v] for k, v in sorted(book.prices.items())]
    document = {
        "header": {
            "format": FORMAT,
            "generated_at": book.generated_at.isoformat(),
            "source": book.source,
            "filters": dict(book.filters),
            "rows": len(rows),
        },
        "prices": rows,
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
        if header.get("format") != FORMAT:
            raise ValueError(f"format {header.get('format')!r}, expected {FORMAT}")
        prices = {PriceKey(s, r, u, unit): float(v) for s, r, u, unit, v in document["prices"]}
        return PriceBook(
            prices, datetime.fromisoformat(header["generated_at"]), header["source"], header["filters"]
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadInputError(f"cannot read price book {path}: {error}") from None


def load_book(cache: Path, bundled: Path = BUNDLED) -> PriceBook | None:
    """The cache over the bundled snapshot; either alone if the other is absent; None if neither.
    A broken cache is an error (one line), never silently ignored."""
    books = [read_book(p) for p in (cache, bundled) if p.is_file()]
    if not books:
        return None
    return books[0] if len(books) == 1 else books[0].merged_over(books[1])
