"""The bundled book prices what a forgotten sandbox bills most in the regions sandboxes live in
besides us-east-1: the real handlers' usage() on hand-built resources, priced with the shipped
snapshot, so a page row whose key differs from the handler's dimension (usage type, unit or
service code) shows up as unknown here rather than as a silently missing cost."""

from __future__ import annotations

from typing import Any

import pytest

from costzero.domain.costing import CostPart, Usage, price_resources
from costzero.domain.pricing import PriceBook, PriceKey
from costzero.domain.resources import Resource
from costzero.infrastructure.aws.handlers.ec2_nat_gateway import Ec2NatGatewayHandler
from costzero.infrastructure.aws.handlers.elbv2_load_balancer import Elbv2LoadBalancerHandler
from costzero.infrastructure.aws.handlers.rds_db_instance import RdsDbInstanceHandler
from costzero.infrastructure.pricing.book_file import BUNDLED, read_book

REGIONS = ("eu-west-1", "eu-central-1", "us-west-2")


class NoCalls:
    """usage() reads attributes only: any client request fails the test."""

    def client(self, account: str, region: str, service: str) -> Any:
        raise AssertionError(f"usage() asked for a {service} client")


NAT = Ec2NatGatewayHandler(NoCalls())  # type: ignore[arg-type]
ELBV2 = Elbv2LoadBalancerHandler(NoCalls())  # type: ignore[arg-type]
RDS = RdsDbInstanceHandler(NoCalls())  # type: ignore[arg-type]


def nat_gateway(region: str) -> Resource:
    return Resource(
        "ec2:nat-gateway",
        "nat-0123456789abcdef0",
        "111122223333",
        region,
        attributes={"state": "available", "connectivity": "public"},
    )


def application_load_balancer(region: str) -> Resource:
    arn = f"arn:aws:elasticloadbalancing:{region}:111122223333:loadbalancer/app/web/0123456789abcdef"
    return Resource("elbv2:load-balancer", arn, "111122223333", region, attributes={"kind": "application"})


def postgres_micro(region: str) -> Resource:
    return Resource(
        "rds:db-instance",
        "sandbox-db",
        "111122223333",
        region,
        attributes={
            "cluster": None,
            "engine": "postgres",
            "instance_class": "db.t4g.micro",
            "multi_az": False,
            "storage": {"type": "gp3", "gib": 20, "iops": 3000, "throughput": 125},
            "settings": {"status": "available"},
        },
    )


@pytest.fixture(scope="module")
def book() -> PriceBook:
    return read_book(BUNDLED)


def hourly_price(book: PriceBook, region: str, usage: Usage) -> float | None:
    return book.price(PriceKey(usage.service, region, usage.usage_type, usage.unit))


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(
    ("handler", "build", "dimension"),
    [
        (NAT, nat_gateway, ("AmazonEC2", "NatGateway-Hours", "Hrs")),
        (
            ELBV2,
            application_load_balancer,
            ("AWSELB", "LoadBalancerUsage (LoadBalancing:Application)", "Hrs"),
        ),
        (RDS, postgres_micro, ("AmazonRDS", "InstanceUsage:db.t4g.micro@postgres", "Hrs")),
    ],
    ids=["nat-gateway", "alb", "db.t4g.micro-postgres"],
)
def test_the_hourly_dimension_has_a_price_in_the_region(book, region, handler, build, dimension):
    resource = build(region)
    [hours] = [u for u in handler.usage(resource) if u.part is CostPart.COMPUTE]
    assert (hours.service, hours.usage_type, hours.unit) == dimension
    price = hourly_price(book, region, hours)
    assert price is not None, f"{dimension} has no row for {region}"
    assert 0 < price < 0.1  # per hour: these small resources cost cents, never dollars


@pytest.mark.parametrize(
    ("region", "nat", "alb", "postgres_micro_hour"),
    [
        ("eu-west-1", 0.048, 0.0252, 0.017),
        ("eu-central-1", 0.052, 0.027, 0.019),
        ("us-west-2", 0.045, 0.0225, 0.016),
    ],
)
def test_a_forgotten_sandbox_is_priced_in_full_at_the_regions_rates(
    book, region, nat, alb, postgres_micro_hour
):
    """The three resources together: nothing unknown (the database's gp3 storage is priced too),
    and each hourly cost is the region's own rate, not us-east-1's."""
    resources = [nat_gateway(region), application_load_balancer(region), postgres_micro(region)]
    usage_of = {
        "ec2:nat-gateway": NAT.usage,
        "elbv2:load-balancer": ELBV2.usage,
        "rds:db-instance": RDS.usage,
    }
    costs = price_resources(resources, lambda r: usage_of[r.type_key](r), {}, book)
    assert [c.unknown for c in costs] == [(), (), ()]
    assert [c.compute for c in costs] == pytest.approx([nat, alb, postgres_micro_hour])
    assert costs[2].storage > 0  # 20 GiB of gp3, billed by the month, stopped or not
