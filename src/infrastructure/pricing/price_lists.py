"""The price book costzero uses: the user's cache (`prices refresh`) over the bundled snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from platformdirs import user_cache_dir

from costzero.application.ports import Clock
from costzero.domain.pricing import PriceBook
from costzero.infrastructure.aws.errors import translate
from costzero.infrastructure.aws.handler_kit.base import ClientSource
from costzero.infrastructure.pricing.book_file import BUNDLED, load_book, write_book
from costzero.infrastructure.pricing.query_api import PRICING_REGIONS, services_prices

# the Price List service codes of the supported types (Elastic Beanstalk bills as its EC2 instances)
SERVICE_CODES = (
    "AmazonEC2",
    "AmazonS3",
    "AmazonRDS",
    "AmazonDynamoDB",
    "AmazonKinesis",
    "AWSLambda",
    "AmazonSageMaker",
    "AmazonECS",
    "AmazonEKS",
    "AmazonCloudWatch",
    "AmazonVPC",  # public IPv4 addresses
    "awskms",
    "AWSSecretsManager",
    "AmazonRoute53",  # its products are global (no regionCode): the bundled "global" rows stay
)
SOURCE = "AWS Price List Query API (pricing:GetProducts), on-demand terms"


def default_cache() -> Path:
    """e.g. ~/.cache/costzero/prices.json"""
    return Path(user_cache_dir("costzero")) / "prices.json"


class PriceLists:
    def __init__(
        self, clients: ClientSource, clock: Clock, cache: Path | None = None, bundled: Path = BUNDLED
    ):
        self._clients = clients
        self._clock = clock
        self.cache = cache or default_cache()
        self._bundled = bundled

    def book(self) -> PriceBook | None:
        """Cache, then the bundled snapshot; None when neither exists (every price "unknown")."""
        return load_book(self.cache, self._bundled)

    def refresh(self, regions: Sequence[str], services: Sequence[str] = SERVICE_CODES) -> PriceBook:
        """Rebuild the cache from the live API. Raises CloudError (one line) when it cannot."""
        client = self._clients.client("self", PRICING_REGIONS[0], "pricing")
        try:
            prices, filters = services_prices(client, services, regions)
        except (ClientError, BotoCoreError) as error:
            raise translate(error) from None
        book = PriceBook(prices, self._clock.now(), SOURCE, filters)
        write_book(self.cache, book)
        return book
