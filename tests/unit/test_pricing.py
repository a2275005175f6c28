"""Price keys and the price book: region prefixes, unknown prices, age, cache over snapshot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from costzero.domain.pricing import PriceBook, PriceKey, usage_type_key

T0 = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("BoxUsage:t3.micro", "BoxUsage:t3.micro"),  # us-east-1 EC2: no prefix
        ("EUC1-BoxUsage:t3.micro", "BoxUsage:t3.micro"),
        ("EU-TimedStorage-ByteHrs", "TimedStorage-ByteHrs"),  # eu-west-1's short code
        ("USE2-EBS:VolumeUsage.gp3", "EBS:VolumeUsage.gp3"),
        ("APN1-PublicIPv4:InUseAddress", "PublicIPv4:InUseAddress"),
        ("TimedStorage-ByteHrs", "TimedStorage-ByteHrs"),  # capitals then lower case: not a prefix
        ("Requests-Tier1", "Requests-Tier1"),
        ("IA-TimedStorage-ByteHrs", "IA-TimedStorage-ByteHrs"),  # DynamoDB Standard-IA in us-east-1
        ("EU-IA-TimedStorage-ByteHrs", "IA-TimedStorage-ByteHrs"),
        ("MES1-Fargate-GB-Hours", "Fargate-GB-Hours"),
        ("us-east-1-KMS-Keys", "KMS-Keys"),  # KMS: the region's own name
        ("ap-southeast-2-KMS-Requests", "KMS-Requests"),
        ("us-gov-west-1-KMS-Keys", "KMS-Keys"),
    ],
)
def test_usage_types_lose_only_their_region_prefix(raw, key):
    assert usage_type_key(raw) == key
    assert PriceKey.of("AmazonEC2", "eu-central-1", raw, "Hrs").usage_type == key


def test_a_price_the_book_does_not_hold_is_unknown_not_zero():
    book = PriceBook({PriceKey("AmazonEC2", "eu-west-1", "BoxUsage:t3.micro", "Hrs"): 0.0114}, T0, "test")
    assert book.price(PriceKey.of("AmazonEC2", "eu-west-1", "EU-BoxUsage:t3.micro", "Hrs")) == 0.0114
    assert book.price(PriceKey("AmazonEC2", "eu-west-1", "BoxUsage:m5.large", "Hrs")) is None


def test_a_book_older_than_90_days_is_stale():
    book = PriceBook({}, T0, "test")
    assert not book.stale(T0 + timedelta(days=90))
    assert book.stale(T0 + timedelta(days=91))


def test_the_cache_wins_over_the_snapshot_and_the_snapshot_fills_the_rest():
    micro = PriceKey("AmazonEC2", "eu-west-1", "BoxUsage:t3.micro", "Hrs")
    large = PriceKey("AmazonEC2", "eu-west-1", "BoxUsage:m5.large", "Hrs")
    snapshot = PriceBook({micro: 0.0114, large: 0.107}, T0 - timedelta(days=200), "snapshot")
    cache = PriceBook({micro: 0.0120}, T0, "cache")
    merged = cache.merged_over(snapshot)
    assert merged.price(micro) == 0.0120 and merged.price(large) == 0.107
    assert merged.stale(T0)  # as old as the oldest price it may use


def test_a_book_read_from_region_tables_answers_like_a_dict_and_merges_without_copying():
    from costzero.domain.pricing import RegionPrices

    micro = PriceKey("AmazonEC2", "eu-west-1", "BoxUsage:t3.micro", "Hrs")
    gp3 = PriceKey("AmazonEC2", "eu-west-1", "EBS:VolumeUsage.gp3", "GB-Mo")
    cache = RegionPrices.of({micro: 0.0115})
    bundled = RegionPrices(
        {"eu-west-1": {"AmazonEC2|BoxUsage:t3.micro|Hrs": 0.0114, RegionPrices.cell(gp3): 0.088}}
    )
    assert bundled.get(micro) == 0.0114 and bundled[gp3] == 0.088
    assert bundled.get(PriceKey("AmazonEC2", "mars-1", "x", "Hrs")) is None
    assert dict(bundled) == {micro: 0.0114, gp3: 0.088} and len(bundled) == 2
    merged = PriceBook(cache, T0, "cache").merged_over(PriceBook(bundled, T0, "bundled"))
    assert merged.price(micro) == 0.0115 and merged.price(gp3) == 0.088  # the cache wins
    assert len(merged.prices) == 2 and set(merged.prices) == {micro, gp3}


def test_cost_explorer_bills_usage_types_without_costzero_qualifiers():
    from costzero.domain.pricing import billing_usage_type

    assert billing_usage_type("InstanceUsage:db.t3.micro@postgres") == "InstanceUsage:db.t3.micro"
    assert billing_usage_type("BoxUsage:t3.micro (RunInstances:0002)") == "BoxUsage:t3.micro"
    assert billing_usage_type("EBS:VolumeUsage.gp3") == "EBS:VolumeUsage.gp3"
