from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.ec2_vpc import Ec2VpcHandler
from tests.integration import vpc_shapes
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_vpcs_but_not_the_default_one(aws, location, seed):
    ec2 = seed("ec2")
    vpc = vpc_shapes.vpc(ec2, name="app")
    handler = Ec2VpcHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == vpc and found.name == "app" and not found.attributes["is_default"]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.GONE]  # idempotent


def test_the_default_vpc_only_with_include_defaults(aws, location, seed):
    default = vpc_shapes.default_vpc(seed("ec2"))
    found = Ec2VpcHandler(aws, HandlerOptions(include_defaults=True)).discover(location, [])
    assert [r.id for r in found] == [default]


def test_a_vpc_is_linked_to_everything_that_goes_before_it(aws, location, seed):
    ec2 = seed("ec2")
    vpc = vpc_shapes.vpc(ec2)
    subnet = vpc_shapes.subnet(ec2, vpc)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    group = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    nat, _ = vpc_shapes.nat_gateway(ec2, subnet)
    [found] = Ec2VpcHandler(aws).discover(location, [])
    assert set(found.links) == {
        Link("ec2:subnet", subnet, "contains"),
        Link("ec2:route-table", table, "contains"),
        Link("ec2:network-acl", acl, "contains"),
        Link("ec2:security-group", group, "contains"),
        Link("ec2:nat-gateway", nat, "contains"),
        Link("ec2:internet-gateway", gateway, "attached to"),
    }  # not its main table, default ACL or default group: they go with it


def test_a_vpc_with_something_in_it_is_not_yet():
    # moto deletes a VPC with an attached gateway; AWS answers DependencyViolation
    stub = StubbedClients("ec2")
    stub.error("delete_vpc", "DependencyViolation", "The vpc 'vpc-1' has dependencies and cannot be deleted.")
    [result] = Ec2VpcHandler(stub).delete(Location("1", "r"), [Resource("ec2:vpc", "vpc-1", "1", "r")])
    assert result.kind is OutcomeKind.NOT_YET
