from costzero.domain.outcomes import OutcomeKind
from costzero.domain.pricing import PriceKey
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.elbv2_load_balancer import Elbv2LoadBalancerHandler
from costzero.infrastructure.pricing.query_api import parse_product
from tests.integration.elb_fixtures import load_balancer, subnets
from tests.integration.stubs import StubbedClients

KEY = "elbv2:load-balancer"
ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"


def _protect(seed, arn):
    seed("elbv2").modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}]
    )


def test_discovers_prices_deletes_and_confirms_load_balancers(aws, location, seed):
    web = load_balancer(seed, "web", tags={"team": "a"})
    net = load_balancer(seed, "net", kind="network")
    handler = Elbv2LoadBalancerHandler(aws)
    found = {r.name: r for r in handler.discover(location, [])}
    assert found["web"].id == web and found["web"].tags == {"team": "a"}
    assert found["web"].attributes["kind"] == "application" and found["net"].attributes["kind"] == "network"
    assert [(u.service, u.usage_type, u.quantity) for u in handler.usage(found["net"])] == [
        ("AWSELB", "LoadBalancerUsage (LoadBalancing:Network)", 1.0)
    ]
    outcomes = handler.delete(location, list(found.values()))
    assert {o.kind for o in outcomes} == {OutcomeKind.PENDING}
    assert {o.kind for o in handler.confirm_gone(location, list(found.values()))} == {OutcomeKind.DONE}
    assert seed("elbv2").describe_load_balancers()["LoadBalancers"] == []
    assert net  # both went
    # a second delete finds them gone
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.GONE}


def test_a_protected_load_balancer_is_left_without_a_mutating_call(aws, location, seed):
    arn = load_balancer(seed, "kept")
    _protect(seed, arn)
    handler = Elbv2LoadBalancerHandler(aws)
    [found] = handler.discover(location, [])
    [result] = handler.delete(location, [found])
    assert (
        result.kind is OutcomeKind.PROTECTED and "--disable-protection elbv2:load-balancer" in result.message
    )
    assert ("elbv2", "ModifyLoadBalancerAttributes") not in aws.counter.calls
    assert ("elbv2", "DeleteLoadBalancer") not in aws.counter.calls
    assert len(seed("elbv2").describe_load_balancers()["LoadBalancers"]) == 1


def test_protection_is_turned_off_first_when_allowed(aws, location, seed):
    arn = load_balancer(seed, "allowed")
    _protect(seed, arn)
    handler = Elbv2LoadBalancerHandler(aws, HandlerOptions(disable_protection=frozenset({KEY})))
    [found] = handler.discover(location, [])
    assert handler.delete(location, [found])[0].kind is OutcomeKind.PENDING
    assert seed("elbv2").describe_load_balancers()["LoadBalancers"] == []


def test_the_real_protection_error_is_protected():
    # moto deletes a load balancer whose deletion protection is on; AWS answers OperationNotPermitted
    # (here the attribute read raced with someone turning protection on)
    stub = StubbedClients("elbv2")
    stub.reply("describe_load_balancer_attributes", {"Attributes": []})
    stub.error("delete_load_balancer", "OperationNotPermitted", "deletion protection is enabled")
    [result] = Elbv2LoadBalancerHandler(stub).delete(
        Location("1", "us-east-1"), [Resource(KEY, ARN, "1", "r")]
    )
    assert result.kind is OutcomeKind.PROTECTED


def test_lingering_network_interfaces_keep_it_pending(aws, location, seed):
    # moto creates no ENIs for a load balancer; AWS's stay a minute or two after the delete
    ec2 = seed("ec2")
    eni = ec2.create_network_interface(SubnetId=subnets(seed)[0], Description="ELB app/web/50dc6c495c0c9188")
    handler = Elbv2LoadBalancerHandler(aws)
    gone = Resource(KEY, ARN, location.account, location.region)
    [result] = handler.confirm_gone(location, [gone])
    assert result.kind is OutcomeKind.PENDING and "network interface" in result.message
    ec2.delete_network_interface(NetworkInterfaceId=eni["NetworkInterface"]["NetworkInterfaceId"])
    assert handler.confirm_gone(location, [gone])[0].kind is OutcomeKind.DONE


def _hours(operation: str, usd: str) -> dict:
    dimension = {"unit": "Hrs", "beginRange": "0", "pricePerUnit": {"USD": usd}}
    return {
        "product": {
            "attributes": {
                "regionCode": "eu-west-2",
                "usagetype": "EUW2-LoadBalancerUsage",
                "operation": operation,
            }
        },
        "terms": {"OnDemand": {"T": {"priceDimensions": {"D": dimension}}}},
    }


def test_the_price_list_keys_each_kinds_hours_by_operation_as_usage_names_them():
    """Every kind's hours share one usage type in the Price List; the book must tell them apart."""
    handler = Elbv2LoadBalancerHandler(None)
    alb = Resource(KEY, ARN, "1", "eu-west-2", attributes={"kind": "application"})
    [usage] = handler.usage(alb)
    prices = {}
    for operation, usd in (("LoadBalancing:Application", "0.02646"), ("LoadBalancing", "0.0294")):
        prices.update(parse_product("AWSELB", _hours(operation, usd)))
    assert prices[PriceKey("AWSELB", "eu-west-2", usage.usage_type, "Hrs")] == 0.02646
    assert prices[PriceKey("AWSELB", "eu-west-2", "LoadBalancerUsage (LoadBalancing)", "Hrs")] == 0.0294


def test_confirming_a_batch_with_gone_and_remaining_load_balancers(aws, location, seed):
    handler = Elbv2LoadBalancerHandler(aws)
    for name in ("a", "b"):
        load_balancer(seed, name)
    found = handler.discover(location, [])
    seed("elbv2").delete_load_balancer(LoadBalancerArn=found[0].id)
    kinds = [o.kind for o in handler.confirm_gone(location, found)]
    assert kinds == [OutcomeKind.DONE, OutcomeKind.PENDING]
