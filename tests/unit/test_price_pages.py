"""The bundled snapshot is what scripts/build_prices.py writes from the committed page files, and
its header says so; page files that cannot be read are refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from costzero.domain.errors import BadInputError
from costzero.infrastructure.pricing.book_file import BUNDLED, read_book
from costzero.infrastructure.pricing.pages import PAGES_SOURCE, book_from_pages

PAGES = Path(__file__).parents[2] / "scripts" / "price_pages"


def test_the_bundled_snapshot_is_generated_from_the_page_files():
    shipped = read_book(BUNDLED)
    built = book_from_pages(PAGES.glob("*.yaml"))
    assert shipped.prices == built.prices, "run: python scripts/build_prices.py"
    assert shipped.source == built.source == PAGES_SOURCE
    assert shipped.generated_at == built.generated_at
    pages = shipped.filters["pages"]
    assert isinstance(pages, list) and pages
    assert all("(read 20" in page for page in pages)  # every page says when it was read


def test_a_malformed_page_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("service: AmazonEC2\nprices: [1, 2]\n")
    with pytest.raises(BadInputError, match=r"cannot read price page file .*bad\.yaml") as caught:
        book_from_pages([bad])
    assert "\n" not in str(caught.value)


def test_region_prefixes_are_stripped_from_page_rows(tmp_path):
    page = tmp_path / "p.yaml"
    page.write_text(
        "service: AmazonEC2\nsource: x\nread_on: 2026-01-02\n"
        "prices:\n  eu-west-1:\n    EU-BoxUsage:t3.micro: 0.0114\n"
    )
    book = book_from_pages([page])
    assert [k.usage_type for k in book.prices] == ["BoxUsage:t3.micro"]
    assert book.generated_at.date().isoformat() == "2026-01-02"
