"""The Price List Query API (botocore Stubber: moto has no pricing service) and price book files."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from costzero.domain.errors import BadInputError, CloudError
from costzero.domain.pricing import PriceBook, PriceKey
from costzero.infrastructure.pricing.book_file import load_book, read_book, write_book
from costzero.infrastructure.pricing.price_lists import PriceLists
from costzero.infrastructure.pricing.query_api import fetch_prices, parse_product
from tests.integration.stubs import StubbedClients

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def product(region: str, usage_type: str, unit: str, *tiers: tuple[str, str]) -> str:
    dimensions = {
        f"SKU.TERM.{n}": {"unit": unit, "beginRange": begin, "pricePerUnit": {"USD": usd}}
        for n, (begin, usd) in enumerate(tiers)
    }
    return json.dumps(
        {
            "product": {"attributes": {"regionCode": region, "usagetype": usage_type}},
            "terms": {"OnDemand": {"SKU.TERM": {"priceDimensions": dimensions}}},
        }
    )


def test_on_demand_prices_are_read_page_by_page_first_tier_and_keyed_without_prefix():
    stub = StubbedClients("pricing")
    filters = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": "eu-central-1"}]
    expected = {"ServiceCode": "AmazonS3", "Filters": filters, "FormatVersion": "aws_v1", "MaxResults": 100}
    stub.reply(
        "get_products",
        {
            "PriceList": [
                product(
                    "eu-central-1", "EUC1-TimedStorage-ByteHrs", "GB-Mo", ("0", "0.0245"), ("51200", "0.0235")
                )
            ],
            "NextToken": "page-2",
            "FormatVersion": "aws_v1",
        },
        expected,
    )
    stub.reply(
        "get_products",
        {
            "PriceList": [
                product("eu-central-1", "EUC1-Requests-Tier1", "Requests", ("0", "0.0000054")),
                json.dumps({"product": {"attributes": {"usagetype": "DataTransfer-Out"}}, "terms": {}}),
            ],
            "FormatVersion": "aws_v1",
        },
        {**expected, "NextToken": "page-2"},
    )
    prices = fetch_prices(stub.stubbed, "AmazonS3", {"regionCode": "eu-central-1"})
    assert prices == {
        PriceKey("AmazonS3", "eu-central-1", "TimedStorage-ByteHrs", "GB-Mo"): 0.0245,
        PriceKey("AmazonS3", "eu-central-1", "Requests-Tier1", "Requests"): 0.0000054,
    }
    stub.stubber.assert_no_pending_responses()


def test_a_book_survives_its_file_and_the_cache_is_read_over_the_bundled_one(tmp_path):
    key = PriceKey("AmazonEC2", "eu-west-1", "BoxUsage:t3.micro", "Hrs")
    other = PriceKey("AmazonEC2", "eu-west-1", "BoxUsage:m5.large", "Hrs")
    bundled, cache = tmp_path / "bundled.json", tmp_path / "cache" / "prices.json"
    write_book(bundled, PriceBook({key: 0.0114, other: 0.107}, T0, "snapshot", {"regions": ["eu-west-1"]}))
    assert load_book(cache, bundled) == read_book(bundled)
    write_book(cache, PriceBook({key: 0.012}, T0, "Query API"))
    book = load_book(cache, bundled)
    assert book is not None and book.price(key) == 0.012 and book.price(other) == 0.107
    assert load_book(tmp_path / "none.json", tmp_path / "neither.json") is None


@pytest.mark.parametrize("text", ["not json", '{"header": {"format": 99}, "prices": []}', "[]"])
def test_a_broken_price_book_is_a_one_line_error(tmp_path, text):
    path = tmp_path / "prices.json"
    path.write_text(text)
    with pytest.raises(BadInputError, match="cannot read price book") as error:
        load_book(path, tmp_path / "absent.json")
    assert "\n" not in str(error.value)


class _Clock:
    def now(self) -> datetime:
        return T0


def test_refresh_writes_the_cache_that_later_lookups_read_first(tmp_path):
    stub = StubbedClients("pricing")
    for region in ("eu-west-1", "us-east-1"):
        stub.reply(
            "get_products",
            {
                "PriceList": [product(region, "BoxUsage:t3.micro", "Hrs", ("0", "0.0114"))],
                "FormatVersion": "v",
            },
        )
    lists = PriceLists(stub, _Clock(), cache=tmp_path / "cache.json", bundled=tmp_path / "absent.json")  # type: ignore[arg-type]
    assert lists.book() is None  # nothing yet: every price unknown
    book = lists.refresh(["eu-west-1", "us-east-1"], services=["AmazonEC2"])
    assert book.generated_at == T0 and book.filters["regions"] == ["eu-west-1", "us-east-1"]
    assert lists.book() == read_book(tmp_path / "cache.json") == book
    assert len(book.prices) == 2


def test_a_refused_refresh_is_one_cloud_error_and_leaves_the_cache_alone(tmp_path):
    stub = StubbedClients("pricing")
    stub.error("get_products", "AccessDeniedException", "not authorized to perform pricing:GetProducts")
    cache = tmp_path / "cache.json"
    write_book(cache, PriceBook({}, T0, "earlier"))
    lists = PriceLists(stub, _Clock(), cache=cache, bundled=tmp_path / "absent.json")  # type: ignore[arg-type]
    with pytest.raises(CloudError) as error:
        lists.refresh(["eu-west-1"], services=["AmazonEC2"])
    assert "pricing:GetProducts" in str(error.value) and "\n" not in str(error.value)
    assert read_book(cache).source == "earlier"


def test_ec2_hours_of_other_platforms_and_capacity_reservations_do_not_overwrite_linux():
    def box(operation: str, usd: str, capacity: str = "Used") -> str:
        attributes = {
            "regionCode": "us-east-1",
            "usagetype": "BoxUsage:t3.micro",
            "operation": operation,
            "capacitystatus": capacity,
        }
        dimensions = {"D": {"unit": "Hrs", "beginRange": "0", "pricePerUnit": {"USD": usd}}}
        return json.dumps(
            {
                "product": {"attributes": attributes},
                "terms": {"OnDemand": {"T": {"priceDimensions": dimensions}}},
            }
        )

    stub = StubbedClients("pricing")
    stub.reply(
        "get_products",
        {
            "PriceList": [
                box("RunInstances", "0.0104"),
                box("RunInstances:0002", "0.0196"),
                box("RunInstances", "0.0000", "AllocatedCapacityReservation"),
            ],
            "FormatVersion": "aws_v1",
        },
    )
    prices = fetch_prices(
        stub.client("self", "us-east-1", "pricing"), "AmazonEC2", {"regionCode": "us-east-1"}
    )
    assert prices == {
        PriceKey("AmazonEC2", "us-east-1", "BoxUsage:t3.micro", "Hrs"): 0.0104,
        PriceKey("AmazonEC2", "us-east-1", "BoxUsage:t3.micro (RunInstances:0002)", "Hrs"): 0.0196,
    }


def rds_instance(usage_type: str, engine: str, usd: str, **attributes: str) -> dict:
    return {
        "product": {
            "productFamily": "Database Instance",
            "attributes": {
                "regionCode": "eu-west-1",
                "usagetype": usage_type,
                "databaseEngine": engine,
                **attributes,
            },
        },
        "terms": {
            "OnDemand": {
                "T": {
                    "priceDimensions": {"D": {"unit": "Hrs", "beginRange": "0", "pricePerUnit": {"USD": usd}}}
                }
            }
        },
    }


def test_rds_instance_hours_are_keyed_by_engine_and_licensed_editions_left_out():
    mysql = parse_product("AmazonRDS", rds_instance("EU-InstanceUsage:db.t3.micro", "MySQL", "0.018"))
    postgres = parse_product("AmazonRDS", rds_instance("EU-InstanceUsage:db.t3.micro", "PostgreSQL", "0.019"))
    assert mysql == {PriceKey("AmazonRDS", "eu-west-1", "InstanceUsage:db.t3.micro@mysql", "Hrs"): 0.018}
    assert postgres == {
        PriceKey("AmazonRDS", "eu-west-1", "InstanceUsage:db.t3.micro@postgres", "Hrs"): 0.019
    }
    # one engine name, several editions and license models: no price rather than another edition's
    assert parse_product("AmazonRDS", rds_instance("EU-InstanceUsage:db.t3.micro", "SQL Server", "0.5")) == {}
    custom = rds_instance(
        "EU-InstanceUsage:db.m5.large", "PostgreSQL", "0.2", deploymentModel="Custom"
    )  # RDS Custom and the like
    assert parse_product("AmazonRDS", custom) == {}
