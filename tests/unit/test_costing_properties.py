"""Cost sheets of generated estates: groups add up to the total whatever the grouping, a destroy of
everything saves the total, a stop saves the compute and leaves the storage billing, and what has no
price is counted, never priced at zero."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costzero.application.costing import CostEstimator
from costzero.domain.costing import CostPart, Usage
from costzero.domain.pricing import PriceBook, PriceKey
from costzero.domain.resources import Action, Link, Resource
from tests.fakes.clock import FakeClock
from tests.fakes.pricing import FakePricer, FakePriceSource

T0 = datetime(2026, 12, 1, tzinfo=UTC)
REGIONS = ("us-east-1", "eu-west-1")
TYPES = ("ec2:instance", "ec2:volume", "rds:db-instance")
PRICED = ("Box", "Disk")  # usage types the book prices in both regions; "Odd" it does not
BOOK = PriceBook(
    {
        PriceKey("S", region, usage_type, "Hrs"): 0.01 * (n + 1) * (r + 1)
        for r, region in enumerate(REGIONS)
        for n, usage_type in enumerate(PRICED)
    },
    T0,
    "generated",
)

usages = st.lists(
    st.builds(
        Usage,
        service=st.just("S"),
        usage_type=st.sampled_from((*PRICED, "Odd")),
        unit=st.just("Hrs"),
        quantity=st.one_of(st.none(), st.floats(0, 100)),
        part=st.sampled_from(CostPart),
        monthly=st.booleans(),
    ),
    max_size=3,
)
resources = st.lists(
    st.tuples(st.sampled_from(TYPES), st.sampled_from(REGIONS), st.sampled_from(("a", "b", None)), usages),
    max_size=25,
)


def _sheet(drawn):
    estate, pricer = [], FakePricer()
    usage_of: dict[str, list[Usage]] = {}
    for n, (type_key, region, team, used) in enumerate(drawn):
        tags = None if team is None else {"team": team}
        links = (Link(TYPES[0], "r0", "belongs to"),) if n and type_key == TYPES[0] else ()
        estate.append(Resource(type_key, f"r{n}", "111122223333", region, tags=tags, links=links))
        usage_of[f"r{n}"] = used
    pricer.usages = usage_of
    estimator = CostEstimator(dict.fromkeys(TYPES, pricer), FakePriceSource(BOOK), FakeClock(T0))
    return estimator.sheet(estate), estate


@settings(max_examples=60, deadline=None)
@given(resources, st.sampled_from(("service", "region", "type", "account", "tag:team")))
def test_groups_add_up_and_actions_save_what_they_should(drawn, by):
    sheet, estate = _sheet(drawn)
    total = sheet.total()
    groups = sheet.grouped(by)
    assert sum(t.resources for t in groups.values()) == total.resources == len(estate)
    assert sum(t.hourly for t in groups.values()) == pytest.approx(total.hourly)
    assert sum(t.unknown for t in groups.values()) == total.unknown
    refs = [r.ref for r in estate]
    destroy = sheet.savings(Action.DELETE, refs)
    assert destroy.saved.hourly == pytest.approx(total.hourly) and destroy.still_billed.hourly == 0
    stop = sheet.savings(Action.STOP, refs)
    assert stop.saved.hourly == pytest.approx(total.compute)
    assert stop.still_billed.hourly == pytest.approx(total.storage)
    for cost in sheet.items:
        assert cost.hourly >= 0
        unpriced = [u for u in drawn[int(cost.resource.id[1:])][3] if u.quantity != 0]
        unpriced = [u for u in unpriced if u.quantity is None or u.usage_type == "Odd"]
        assert len(cost.unknown) == len(unpriced)  # every unpriced dimension is reported
