from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handlers.ec2_route_table import Ec2RouteTableHandler
from tests.integration import vpc_shapes
from tests.integration.stubs import StubbedClients


def test_discovers_non_main_tables_and_deletes_them(aws, location, seed):
    ec2 = seed("ec2")
    vpc = vpc_shapes.vpc(ec2)
    table = ec2.create_route_table(VpcId=vpc, TagSpecifications=vpc_shapes.tags("route-table", "rt"))
    table_id = table["RouteTable"]["RouteTableId"]
    handler = Ec2RouteTableHandler(aws)
    [found] = handler.discover(location, [])  # every VPC's main table goes with its VPC
    assert found.id == table_id and found.name == "rt" and found.links == ()
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.GONE]  # idempotent


def test_a_table_waits_for_its_subnets_and_never_moves_one(aws, location, seed):
    ec2 = seed("ec2")
    vpc = vpc_shapes.vpc(ec2)
    subnet = vpc_shapes.subnet(ec2, vpc)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    association = ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)["AssociationId"]
    handler = Ec2RouteTableHandler(aws)
    [found] = handler.discover(location, [])
    assert found.links == (Link("ec2:subnet", subnet, "associated with"),)
    # the subnet is still there (kept, or not deleted yet): named, so a kept one blocks the table
    [result] = handler.delete(location, [found])
    assert result.kind is OutcomeKind.NOT_YET and result.blockers == (subnet,)
    assert aws.counter.calls[("ec2", "DisassociateRouteTable")] == 0
    # the ec2:subnet task deletes the subnet, and AWS ends its association with it (moto keeps the
    # association of a deleted subnet, so the test ends it as AWS would)
    ec2.disassociate_route_table(AssociationId=association)
    ec2.delete_subnet(SubnetId=subnet)
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]


def test_gateway_associations_are_removed_first():
    # moto has no edge associations to describe: stubbed
    stub = StubbedClients("ec2")
    stub.reply(
        "describe_route_tables",
        {
            "RouteTables": [
                {
                    "RouteTableId": "rtb-1",
                    "Associations": [{"RouteTableAssociationId": "rtbassoc-1", "GatewayId": "igw-1"}],
                }
            ]
        },
    )
    stub.reply("disassociate_route_table", {}, {"AssociationId": "rtbassoc-1"})
    stub.reply("delete_route_table", {}, {"RouteTableId": "rtb-1"})
    [result] = Ec2RouteTableHandler(stub).delete(
        Location("1", "r"), [Resource("ec2:route-table", "rtb-1", "1", "r")]
    )
    assert result.kind is OutcomeKind.DONE
    stub.stubber.assert_no_pending_responses()


def test_a_table_aws_still_holds_is_not_yet():
    stub = StubbedClients("ec2")
    stub.reply("describe_route_tables", {"RouteTables": [{"RouteTableId": "rtb-1", "Associations": []}]})
    stub.error("delete_route_table", "DependencyViolation", "The routeTable 'rtb-1' has dependencies")
    [result] = Ec2RouteTableHandler(stub).delete(
        Location("1", "r"), [Resource("ec2:route-table", "rtb-1", "1", "r")]
    )
    assert result.kind is OutcomeKind.NOT_YET
