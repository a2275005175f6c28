from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.ec2_internet_gateway import Ec2InternetGatewayHandler
from tests.integration import vpc_shapes
from tests.integration.stubs import StubbedClients


def _gateway(ec2, vpc):
    gateway = ec2.create_internet_gateway(TagSpecifications=vpc_shapes.tags("internet-gateway", "igw"))
    gateway_id = gateway["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc)
    return gateway_id


def test_discovers_detaches_and_deletes_gateways(aws, location, seed):
    ec2 = seed("ec2")
    vpc = vpc_shapes.vpc(ec2)
    gateway = _gateway(ec2, vpc)
    handler = Ec2InternetGatewayHandler(aws)
    [found] = handler.discover(location, [])  # the default VPC's gateway is not listed
    assert found.id == gateway and found.name == "igw" and found.attributes["vpc_ids"] == [vpc]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert aws.counter.calls[("ec2", "DetachInternetGateway")] == 1
    assert (
        ec2.describe_internet_gateways(Filters=[{"Name": "internet-gateway-id", "Values": [gateway]}])[
            "InternetGateways"
        ]
        == []
    )
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.GONE]  # idempotent


def test_the_default_vpcs_gateway_only_with_include_defaults(aws, location, seed):
    ec2 = seed("ec2")
    default = _gateway(ec2, vpc_shapes.default_vpc(ec2))
    assert Ec2InternetGatewayHandler(aws).discover(location, []) == []
    included = Ec2InternetGatewayHandler(aws, HandlerOptions(include_defaults=True)).discover(location, [])
    assert [r.id for r in included] == [default]


def test_mapped_public_addresses_are_not_yet():
    # moto detaches whatever the VPC holds; AWS refuses while public addresses are mapped in it
    stub = StubbedClients("ec2")
    stub.error(
        "detach_internet_gateway",
        "DependencyViolation",
        "Network vpc-1 has some mapped public address(es). Please unmap those public address(es) "
        "before detaching the gateway.",
    )
    gateway = Resource("ec2:internet-gateway", "igw-1", "1", "r", attributes={"vpc_ids": ["vpc-1"]})
    [result] = Ec2InternetGatewayHandler(stub).delete(Location("1", "r"), [gateway])
    assert result.kind is OutcomeKind.NOT_YET and "mapped public address" in result.message
    stub.stubber.assert_no_pending_responses()  # no delete attempted


def test_a_gateway_detached_by_an_earlier_attempt_is_deleted():
    stub = StubbedClients("ec2")
    stub.error("detach_internet_gateway", "Gateway.NotAttached", "igw-1 is not attached to vpc-1")
    stub.reply("delete_internet_gateway", {}, {"InternetGatewayId": "igw-1"})
    gateway = Resource("ec2:internet-gateway", "igw-1", "1", "r", attributes={"vpc_ids": ["vpc-1"]})
    [result] = Ec2InternetGatewayHandler(stub).delete(Location("1", "r"), [gateway])
    assert result.kind is OutcomeKind.DONE
