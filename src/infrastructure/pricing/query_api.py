"""On-demand prices from the AWS Price List Query API (`pricing:GetProducts`).

The API answers only in us-east-1, eu-central-1 and ap-south-1, whatever region is priced. Each
product comes as a JSON string: its attributes (`regionCode`, `usagetype`) and its terms; an
on-demand term has price dimensions (unit, USD per unit, and a `beginRange` for tiered prices).
The first tier (beginRange 0) is the price of a resource's first units, the one an estimate needs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from costzero.domain.errors import CloudError
from costzero.domain.pricing import PriceKey
from costzero.infrastructure.aws.handler_kit.price_keys import ENGINE_OF_PRICE_LIST, rds_instance_usage_type

PRICING_REGIONS = ("us-east-1", "eu-central-1", "ap-south-1")
PAGE_SIZE = 100  # the API's maximum


def term_filters(filters: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Type": "TERM_MATCH", "Field": name, "Value": value} for name, value in sorted(filters.items())]


def fetch_prices(client: Any, service: str, filters: Mapping[str, str]) -> dict[PriceKey, float]:
    """Every on-demand price of `service` matching `filters` (e.g. {"regionCode": "eu-west-1"}),
    page by page. Raises CloudError with the service named when the API refuses."""
    prices: dict[PriceKey, float] = {}
    pages = client.get_paginator("get_products").paginate(
        ServiceCode=service,
        Filters=term_filters(filters),
        FormatVersion="aws_v1",
        PaginationConfig={"PageSize": PAGE_SIZE},
    )
    try:
        for page in pages:
            for item in page.get("PriceList", []):
                prices.update(parse_product(service, json.loads(item) if isinstance(item, str) else item))
    except ValueError as error:
        problem = f"pricing:GetProducts for {service} answered something that is not JSON: {error}"
        raise CloudError(problem) from None
    return prices


def parse_product(service: str, product: Mapping[str, Any]) -> dict[PriceKey, float]:
    """One Price List product as {key: USD per unit}: its first-tier on-demand dimensions."""
    attributes = product.get("product", {}).get("attributes", {})
    region, usage_type = attributes.get("regionCode"), attributes.get("usagetype")
    if not region or not usage_type:
        return {}  # global or region-less products (data transfer between regions ...)
    if attributes.get("capacitystatus", "Used") != "Used":
        return {}  # capacity reservations and blocks share the instance's usage type
    operation = attributes.get("operation", "")
    if service == "AmazonEC2" and "Usage:" in usage_type and operation.startswith("RunInstances:"):
        # every platform's hours share BoxUsage:<type>; RunInstances alone is Linux/UNIX. Others
        # are keyed as the instance handler names them: "BoxUsage:t3.micro (RunInstances:0002)"
        usage_type = f"{usage_type} ({operation})"
    if (
        service == "AWSELB"
        and usage_type.endswith("LoadBalancerUsage")
        and operation.startswith("LoadBalancing")
    ):
        # every kind's hours share LoadBalancerUsage; keyed with the operation (handler_kit/elb.py)
        usage_type = f"{usage_type} ({operation})"
    if service == "AmazonRDS" and product.get("product", {}).get("productFamily") == "Database Instance":
        # one usage type, a price per engine: keyed with the engine (handler_kit/price_keys.py);
        # the licensed engines' editions and license models share one engine name: left out
        engine = ENGINE_OF_PRICE_LIST.get(str(attributes.get("databaseEngine")))
        if engine is None or attributes.get("deploymentModel"):
            return {}
        usage_type = rds_instance_usage_type(usage_type, engine)
    found: dict[PriceKey, float] = {}
    for term in _on_demand_terms(product):
        for dimension in term.get("priceDimensions", {}).values():
            if str(dimension.get("beginRange", "0")) not in ("0", "0.0"):
                continue  # a later tier
            usd = dimension.get("pricePerUnit", {}).get("USD")
            if usd is None:
                continue
            key = PriceKey.of(service, region, usage_type, dimension.get("unit", ""))
            found.setdefault(key, float(usd))
    return found


def _on_demand_terms(product: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    terms: Mapping[str, Mapping[str, Any]] = product.get("terms", {}).get("OnDemand", {})
    return terms.values()


def services_prices(
    client: Any, services: Sequence[str], regions: Sequence[str]
) -> tuple[dict[PriceKey, float], dict[str, object]]:
    """Prices of every service in every region, and the filters used (for the book's header)."""
    prices: dict[PriceKey, float] = {}
    for service in services:
        for region in regions:
            prices.update(fetch_prices(client, service, {"regionCode": region}))
    return prices, {"services": list(services), "regions": list(regions), "terms": "OnDemand"}
