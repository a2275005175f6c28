"""Build the price snapshot the package ships (src/infrastructure/pricing/prices.json).

    python scripts/build_prices.py                    # from scripts/price_pages/*.yaml
    python scripts/build_prices.py --from-api us-east-1 eu-west-1 ...
                                                      # from pricing:GetProducts (needs credentials)

Rows from the API win over rows from the pages where both have one. tests/unit/test_price_pages.py
checks that the committed snapshot is what this script writes from the committed pages.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from costzero.infrastructure.pricing.book_file import BUNDLED, write_book
from costzero.infrastructure.pricing.pages import book_from_pages

PAGES = Path(__file__).with_name("price_pages")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--out", type=Path, default=BUNDLED)
    parser.add_argument("--from-api", nargs="+", metavar="REGION", help="also fetch these regions live")
    args = parser.parse_args()
    book = book_from_pages(args.pages.glob("*.yaml"))
    if args.from_api:
        import boto3

        from costzero.domain.pricing import PriceBook
        from costzero.infrastructure.clock import SystemClock
        from costzero.infrastructure.pricing.price_lists import SERVICE_CODES, SOURCE
        from costzero.infrastructure.pricing.query_api import PRICING_REGIONS, services_prices

        client = boto3.client("pricing", region_name=PRICING_REGIONS[0])
        prices, filters = services_prices(client, SERVICE_CODES, args.from_api)
        book = PriceBook(prices, SystemClock().now(), SOURCE, filters).merged_over(book)
    write_book(args.out, book)
    print(f"{args.out}: {len(book.prices)} rows, {book.source}")


if __name__ == "__main__":
    main()
