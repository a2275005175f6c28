"""Resources priced from their usage and a price book: parts, unknowns, groups, savings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from costzero.application.costing import NO_BOOK, CostEstimator
from costzero.domain.costing import CostPart, Usage, group_key
from costzero.domain.errors import BadInputError
from costzero.domain.pricing import HOURS_PER_MONTH, PriceBook, PriceKey
from costzero.domain.resources import Action, Link, Resource
from tests.fakes.clock import FakeClock
from tests.fakes.pricing import FakePricer, FakePriceSource

T0 = datetime(2026, 12, 1, tzinfo=UTC)
BOX = Usage("AmazonEC2", "BoxUsage:t3.micro", "Hrs", 1)
GP3 = Usage("AmazonEC2", "EBS:VolumeUsage.gp3", "GB-Mo", 100, CostPart.STORAGE, monthly=True)
BOOK = PriceBook(
    {
        PriceKey("AmazonEC2", "us-east-1", "BoxUsage:t3.micro", "Hrs"): 0.0104,
        PriceKey("AmazonEC2", "us-east-1", "EBS:VolumeUsage.gp3", "GB-Mo"): 0.08,
        PriceKey("AmazonEC2", "eu-west-1", "BoxUsage:t3.micro", "Hrs"): 0.0114,
    },
    T0,
    "test",
)


def _resource(type_key: str, rid: str, region: str = "us-east-1", **fields: object) -> Resource:
    return Resource(type_key, rid, "111122223333", region, **fields)  # type: ignore[arg-type]


def _estimator(pricers: dict[str, FakePricer], book: PriceBook | None = BOOK, now: datetime = T0):
    return CostEstimator(pricers, FakePriceSource(book), FakeClock(now))


def test_a_resource_costs_its_dimensions_priced_in_its_own_region():
    pricer = FakePricer({"i-1": [BOX, GP3]}, default=[BOX])
    sheet = _estimator({"ec2:instance": pricer}).sheet(
        [_resource("ec2:instance", "i-1"), _resource("ec2:instance", "i-2", "eu-west-1")]
    )
    first, second = sheet.items
    assert first.compute == pytest.approx(0.0104)
    assert first.storage == pytest.approx(100 * 0.08 / HOURS_PER_MONTH)
    assert second.hourly == pytest.approx(0.0114)
    assert sheet.total().monthly == pytest.approx((0.0104 + 8 / 730 + 0.0114) * 730)


def test_what_the_book_lacks_is_unknown_never_zero():
    odd = Usage("AmazonEC2", "BoxUsage:x9.huge", "Hrs", 1)
    unread = Usage("AmazonS3", "TimedStorage-ByteHrs", "GB-Mo", None, CostPart.STORAGE, monthly=True)
    sheet = _estimator({"ec2:instance": FakePricer(default=[BOX, odd, unread])}).sheet(
        [_resource("ec2:instance", "i-1")]
    )
    (cost,) = sheet.items
    assert cost.unknown == (odd, unread) and not cost.known
    assert sheet.total().unknown == 1
    assert sheet.top()[0] is cost


def test_without_a_book_every_price_is_unknown_and_the_sheet_says_so():
    sheet = _estimator({"ec2:instance": FakePricer(default=[BOX])}, book=None).sheet(
        [_resource("ec2:instance", "i-1")]
    )
    assert sheet.items[0].unknown == (BOX,)
    assert sheet.prices.warning == NO_BOOK


def test_a_type_without_a_pricer_is_unknown_and_a_free_type_says_why():
    sheet = _estimator({"ec2:key-pair": FakePricer(free_because="no charge")}).sheet(
        [_resource("ec2:key-pair", "k"), _resource("x:thing", "t")]
    )
    key_pair, thing = sheet.items
    assert key_pair.known and key_pair.hourly == 0 and key_pair.free == "no charge"
    assert not thing.known


def test_old_prices_are_flagged():
    sheet = _estimator({}, now=T0 + timedelta(days=91)).sheet([])
    assert "91 days old" in sheet.prices.warning
    assert _estimator({}, now=T0 + timedelta(days=89)).sheet([]).prices.warning == ""


def test_the_book_is_loaded_once():
    source = FakePriceSource(BOOK)
    estimator = CostEstimator({}, source, FakeClock(T0))
    estimator.sheet([])
    estimator.sheet([])
    assert source.loads == 1


def test_a_stop_saves_compute_and_storage_keeps_billing_a_destroy_saves_both():
    pricer = FakePricer(default=[BOX, GP3])
    instance = _resource("ec2:instance", "i-1")
    sheet = _estimator({"ec2:instance": pricer}).sheet([instance])
    ref = instance.ref
    stop = sheet.savings(Action.STOP, [ref])
    assert stop.saved.hourly == pytest.approx(0.0104)
    assert stop.still_billed.hourly == pytest.approx(8 / 730)
    destroy = sheet.savings(Action.DELETE, [ref])
    assert destroy.saved.hourly == pytest.approx(0.0104 + 8 / 730)
    assert destroy.still_billed.hourly == 0


def test_parking_a_group_saves_its_members_once():
    env = _resource("elasticbeanstalk:environment", "e-1")
    member = _resource(
        "ec2:instance", "i-1", links=(Link("elasticbeanstalk:environment", "e-1", "belongs to"),)
    )
    other = _resource("ec2:instance", "i-2")
    pricers = {"ec2:instance": FakePricer(default=[BOX]), "elasticbeanstalk:environment": FakePricer()}
    sheet = _estimator(pricers).sheet([env, member, other])
    saved = sheet.savings(Action.STOP, [env.ref, member.ref]).saved
    assert saved.resources == 2 and saved.hourly == pytest.approx(0.0104)


def test_groups_by_service_region_type_account_and_tag():
    tagged = _resource("ec2:instance", "i-1", tags={"team": "a"})
    unreadable = _resource("ec2:instance", "i-2", "eu-west-1", tags=None)
    sheet = _estimator({"ec2:instance": FakePricer(default=[BOX])}).sheet([tagged, unreadable])
    assert list(sheet.grouped("region")) == ["eu-west-1", "us-east-1"]  # largest first
    assert list(sheet.grouped("service")) == ["ec2"]
    assert set(sheet.grouped("tag:team")) == {"a", "(tags unreadable)"}
    assert group_key("tag:owner")(tagged) == "(no owner tag)"
    with pytest.raises(BadInputError, match="cannot group by 'colour'"):
        group_key("colour")
