from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_vpc_endpoint import Ec2VpcEndpointHandler
from tests.integration import vpc_shapes
from tests.integration.stubs import StubbedClients


def _endpoints(ec2):
    vpc = vpc_shapes.vpc(ec2)
    subnets = [
        vpc_shapes.subnet(ec2, vpc, f"10.1.{n}.0/24", f"us-east-1{z}") for n, z in ((1, "a"), (2, "b"))
    ]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    interface = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName="com.amazonaws.us-east-1.sqs",
        VpcEndpointType="Interface",
        SubnetIds=subnets,
        TagSpecifications=vpc_shapes.tags("vpc-endpoint", "sqs"),
    )["VpcEndpoint"]["VpcEndpointId"]
    gateway = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway", RouteTableIds=[table]
    )["VpcEndpoint"]["VpcEndpointId"]
    return interface, gateway


def test_discovers_prices_and_deletes_endpoints_in_one_call(aws, location, seed):
    ec2 = seed("ec2")
    interface, gateway = _endpoints(ec2)
    handler = Ec2VpcEndpointHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert set(found) == {interface, gateway} and found[interface].name == "sqs"
    # interface endpoints bill per AZ: two subnets, two endpoint-hours an hour; gateway ones nothing
    assert [(u.usage_type, u.quantity) for u in handler.usage(found[interface])] == [
        ("VpcEndpoint-Hours", 2.0)
    ]
    assert [u.quantity for u in handler.usage(found[gateway])] == [0.0]
    outcomes = handler.delete(location, list(found.values()))
    assert {o.kind for o in outcomes} == {OutcomeKind.PENDING}
    assert aws.counter.calls[("ec2", "DeleteVpcEndpoints")] == 1
    assert {o.kind for o in handler.confirm_gone(location, list(found.values()))} == {OutcomeKind.DONE}
    assert handler.discover(location, []) == []


def test_each_endpoint_settles_on_its_own_in_a_batch():
    # AWS answers per endpoint in Unsuccessful; moto always answers an empty list
    stub = StubbedClients("ec2")
    stub.reply(
        "delete_vpc_endpoints",
        {
            "Unsuccessful": [
                {
                    "ResourceId": "vpce-2",
                    "Error": {"Code": "InvalidVpcEndpoint.NotFound", "Message": "not found"},
                },
                {"ResourceId": "vpce-3", "Error": {"Code": "UnauthorizedOperation", "Message": "no"}},
            ]
        },
        {"VpcEndpointIds": ["vpce-1", "vpce-2", "vpce-3"]},
    )
    endpoints = [Resource("ec2:vpc-endpoint", f"vpce-{n}", "1", "us-east-1") for n in (1, 2, 3)]
    outcomes = Ec2VpcEndpointHandler(stub).delete(Location("1", "us-east-1"), endpoints)
    assert [o.kind for o in outcomes] == [OutcomeKind.PENDING, OutcomeKind.GONE, OutcomeKind.DENIED]
    assert "ec2:DeleteVpcEndpoints" in outcomes[2].message


def test_a_failed_batch_call_is_settled_endpoint_by_endpoint():
    stub = StubbedClients("ec2")
    stub.error(
        "delete_vpc_endpoints", "InvalidVpcEndpointId.Malformed", "bad", {"VpcEndpointIds": ["vpce-1", "x"]}
    )
    stub.reply("delete_vpc_endpoints", {"Unsuccessful": []}, {"VpcEndpointIds": ["vpce-1"]})
    stub.error("delete_vpc_endpoints", "InvalidVpcEndpointId.Malformed", "bad", {"VpcEndpointIds": ["x"]})
    endpoints = [Resource("ec2:vpc-endpoint", i, "1", "us-east-1") for i in ("vpce-1", "x")]
    outcomes = Ec2VpcEndpointHandler(stub).delete(Location("1", "us-east-1"), endpoints)
    assert [o.kind for o in outcomes] == [OutcomeKind.PENDING, OutcomeKind.FAILED]


def test_an_endpoint_still_deleting_is_pending():
    stub = StubbedClients("ec2")
    stub.reply("describe_vpc_endpoints", {"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "State": "deleting"}]})
    [result] = Ec2VpcEndpointHandler(stub).confirm_gone(
        Location("1", "us-east-1"), [Resource("ec2:vpc-endpoint", "vpce-1", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PENDING


def test_a_second_delete_is_idempotent(aws, location, seed):
    ec2 = seed("ec2")
    _endpoints(ec2)
    handler = Ec2VpcEndpointHandler(aws)
    found = handler.discover(location, [])
    handler.delete(location, found)
    handler.delete(location, found)
    assert {o.kind for o in handler.confirm_gone(location, found)} == {OutcomeKind.DONE}


def test_endpoint_types_the_book_cannot_price_are_unknown():
    handler = Ec2VpcEndpointHandler(StubbedClients("ec2"))
    gwlb = Resource(
        "ec2:vpc-endpoint", "vpce-1", "1", "r", attributes={"endpoint_type": "GatewayLoadBalancer"}
    )
    assert [u.quantity for u in handler.usage(gwlb)] == [None]
