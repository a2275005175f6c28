from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_nat_gateway import Ec2NatGatewayHandler
from tests.integration import vpc_shapes
from tests.integration.stubs import StubbedClients


def test_discovers_deletes_and_confirms_nat_gateways(aws, location, seed):
    ec2 = seed("ec2")
    subnet = vpc_shapes.subnet(ec2, vpc_shapes.vpc(ec2))
    gateway, allocation = vpc_shapes.nat_gateway(ec2, subnet)
    handler = Ec2NatGatewayHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == gateway and found.name == "nat" and found.tags[vpc_shapes.TAG_KEY] == "net"
    assert found.attributes["subnet_id"] == subnet and found.attributes["allocation_ids"] == [allocation]
    assert [(u.usage_type, u.quantity) for u in handler.usage(found)] == [("NatGateway-Hours", 1.0)]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []  # AWS lists deleted gateways for an hour: not targets


def test_a_gateway_still_deleting_is_pending_and_its_addresses_stay_in_use():
    # moto deletes at once; AWS takes about a minute, during which its Elastic IP stays in use
    stub = StubbedClients("ec2")
    stub.reply("describe_nat_gateways", {"NatGateways": [{"NatGatewayId": "nat-1", "State": "deleting"}]})
    [result] = Ec2NatGatewayHandler(stub).confirm_gone(
        Location("1", "us-east-1"), [Resource("ec2:nat-gateway", "nat-1", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PENDING and result.message == "deleting"


def test_a_vanished_gateway_is_gone():
    # moto fails with a server error on an unknown ID; AWS answers NatGatewayNotFound
    stub = StubbedClients("ec2")
    stub.error("delete_nat_gateway", "NatGatewayNotFound", "The Nat Gateway nat-1 was not found")
    [result] = Ec2NatGatewayHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("ec2:nat-gateway", "nat-1", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.GONE


def test_a_second_delete_settles_the_same_way(aws, location, seed):
    ec2 = seed("ec2")
    vpc_shapes.nat_gateway(ec2, vpc_shapes.subnet(ec2, vpc_shapes.vpc(ec2)))
    handler = Ec2NatGatewayHandler(aws)
    found = handler.discover(location, [])
    handler.delete(location, found)
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, found)] == [OutcomeKind.DONE]


def test_a_failed_gateway_costs_nothing():
    failed = Resource("ec2:nat-gateway", "nat-1", "1", "r", attributes={"state": "failed"})
    assert [u.quantity for u in Ec2NatGatewayHandler(StubbedClients("ec2")).usage(failed)] == [0.0]
