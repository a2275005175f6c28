from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_transit_gateway import Ec2TransitGatewayHandler
from tests.integration.stubs import StubbedClients


def test_discovers_deletes_and_confirms_a_transit_gateway(aws, location, seed):
    spec = [{"ResourceType": "transit-gateway", "Tags": [{"Key": "Name", "Value": "hub"}]}]
    gateway = seed("ec2").create_transit_gateway(Description="hub", TagSpecifications=spec)["TransitGateway"]
    handler = Ec2TransitGatewayHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == gateway["TransitGatewayId"] and found.name == "hub"
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []


def test_a_gateway_with_attachments_is_not_yet_and_names_them():
    # moto deletes a transit gateway that still has attachments; AWS refuses with IncorrectState
    stub = StubbedClients("ec2")
    stub.error(
        "delete_transit_gateway",
        "IncorrectState",
        "tgw-0a1b2c3d4e5f60718 has non-deleted Transit Gateway Attachments: tgw-attach-0a1b2c3d4e5f60719",
    )
    [result] = Ec2TransitGatewayHandler(stub).delete(
        Location("1", "us-east-1"),
        [Resource("ec2:transit-gateway", "tgw-0a1b2c3d4e5f60718", "1", "us-east-1")],
    )
    assert result.kind is OutcomeKind.NOT_YET
    assert result.blockers == ("tgw-attach-0a1b2c3d4e5f60719",)


def test_a_gateway_gone_since_discovery_is_gone_and_one_deleting_is_pending():
    # moto answers a second DeleteTransitGateway with a server error (KeyError)
    stub = StubbedClients("ec2")
    stub.error("delete_transit_gateway", "InvalidTransitGatewayID.NotFound")
    stub.reply(
        "describe_transit_gateways", {"TransitGateways": [{"TransitGatewayId": "tgw-2", "State": "deleting"}]}
    )
    handler = Ec2TransitGatewayHandler(stub)
    location = Location("1", "us-east-1")
    assert (
        handler.delete(location, [Resource("ec2:transit-gateway", "tgw-1", "1", "r")])[0].kind
        is OutcomeKind.GONE
    )
    pending = handler.confirm_gone(location, [Resource("ec2:transit-gateway", "tgw-2", "1", "r")])
    assert pending[0].kind is OutcomeKind.PENDING


def test_a_gateway_shared_by_another_account_is_not_this_accounts_to_delete():
    # RAM sharing is not in moto: the listing is stubbed
    stub = StubbedClients("ec2")
    stub.reply(
        "describe_transit_gateways",
        {
            "TransitGateways": [
                {"TransitGatewayId": "tgw-mine", "State": "available", "OwnerId": "111111111111"},
                {"TransitGatewayId": "tgw-shared", "State": "available", "OwnerId": "222222222222"},
            ]
        },
    )
    found = Ec2TransitGatewayHandler(stub).discover(Location("111111111111", "us-east-1"), [])
    assert [r.id for r in found] == ["tgw-mine"]
