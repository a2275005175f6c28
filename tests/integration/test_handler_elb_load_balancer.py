from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Resource
from costzero.infrastructure.aws.handlers.elb_load_balancer import ElbLoadBalancerHandler
from tests.integration.elb_fixtures import subnets

LISTENERS = [{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}]


def test_discovers_prices_deletes_and_confirms_classic_load_balancers(aws, location, seed):
    elb = seed("elb")
    elb.create_load_balancer(
        LoadBalancerName="legacy",
        Listeners=LISTENERS,
        Subnets=subnets(seed)[:1],
        Tags=[{"Key": "t", "Value": "1"}],
    )
    handler = ElbLoadBalancerHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "legacy" and found.tags == {"t": "1"}
    assert [(u.usage_type, u.quantity) for u in handler.usage(found)] == [
        ("LoadBalancerUsage (LoadBalancing)", 1.0)
    ]
    assert handler.delete(location, [found])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(location, [found])[0].kind is OutcomeKind.DONE
    assert elb.describe_load_balancers()["LoadBalancerDescriptions"] == []
    # AWS's DeleteLoadBalancer succeeds for a name already gone: the second delete changes nothing
    assert handler.delete(location, [found])[0].kind in (OutcomeKind.PENDING, OutcomeKind.GONE)
    assert handler.confirm_gone(location, [found])[0].kind is OutcomeKind.DONE


def test_lingering_network_interfaces_keep_it_pending(aws, location, seed):
    # moto creates no ENIs for a classic load balancer; AWS's ("ELB <name>") outlive it a while
    ec2 = seed("ec2")
    ec2.create_network_interface(SubnetId=subnets(seed)[0], Description="ELB legacy")
    [result] = ElbLoadBalancerHandler(aws).confirm_gone(
        location, [Resource("elb:load-balancer", "legacy", location.account, location.region)]
    )
    assert result.kind is OutcomeKind.PENDING and "1 network interface" in result.message
