from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_transit_gateway_attachment import (
    Ec2TransitGatewayAttachmentHandler,
)
from tests.integration.stubs import StubbedClients


def attach(seed):
    ec2 = seed("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24")["Subnet"]["SubnetId"]
    gateway = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[subnet]
    )
    return attachment["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"], gateway, vpc


def test_discovers_prices_deletes_and_confirms_a_vpc_attachment(aws, location, seed):
    attachment, gateway, vpc = attach(seed)
    handler = Ec2TransitGatewayAttachmentHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == attachment
    assert found.attributes["transit_gateway_id"] == gateway and found.attributes["vpc_id"] == vpc
    [hours] = handler.usage(found)
    assert (hours.service, hours.usage_type, hours.unit, hours.quantity) == (
        "AmazonVPC",
        "TransitGateway-Hours",
        "Hrs",
        1.0,
    )
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []


def test_another_accounts_vpc_bills_there():
    handler = Ec2TransitGatewayAttachmentHandler(StubbedClients("ec2"))
    theirs = Resource(
        "ec2:transit-gateway-attachment",
        "tgw-attach-1",
        "111111111111",
        "us-east-1",
        attributes={"vpc_owner": "2"},
    )
    [hours] = handler.usage(theirs)
    assert hours.quantity == 0.0 and "billed to the VPC's owner" in hours.note


def test_a_vanished_attachment_is_gone_and_one_still_deleting_is_pending():
    # moto forgets a deleted attachment and answers a second delete with a server error
    stub = StubbedClients("ec2")
    stub.error("delete_transit_gateway_vpc_attachment", "InvalidTransitGatewayAttachmentID.NotFound")
    stub.reply(
        "describe_transit_gateway_vpc_attachments",
        {
            "TransitGatewayVpcAttachments": [
                {"TransitGatewayAttachmentId": "tgw-attach-2", "State": "deleting"}
            ]
        },
    )
    handler = Ec2TransitGatewayAttachmentHandler(stub)
    location = Location("1", "us-east-1")
    gone = Resource("ec2:transit-gateway-attachment", "tgw-attach-1", "1", "us-east-1")
    deleting = Resource("ec2:transit-gateway-attachment", "tgw-attach-2", "1", "us-east-1")
    assert handler.delete(location, [gone])[0].kind is OutcomeKind.GONE
    assert handler.confirm_gone(location, [deleting])[0].kind is OutcomeKind.PENDING


def test_an_attachment_being_modified_is_not_yet():
    stub = StubbedClients("ec2")
    stub.error("delete_transit_gateway_vpc_attachment", "IncorrectState", "in state modifying")
    [result] = Ec2TransitGatewayAttachmentHandler(stub).delete(
        Location("1", "us-east-1"),
        [Resource("ec2:transit-gateway-attachment", "tgw-attach-3", "1", "us-east-1")],
    )
    assert result.kind is OutcomeKind.NOT_YET


def test_peering_attachments_are_discovered_priced_and_deleted(aws, location, seed):
    ec2 = seed("ec2")
    one, two = (ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"] for _ in range(2))
    peering = ec2.create_transit_gateway_peering_attachment(
        TransitGatewayId=one,
        PeerTransitGatewayId=two,
        PeerAccountId=location.account,
        PeerRegion=location.region,
    )["TransitGatewayPeeringAttachment"]["TransitGatewayAttachmentId"]
    ec2.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=peering)
    handler = Ec2TransitGatewayAttachmentHandler(aws)
    [found] = handler.discover(location, [])
    assert (found.id, found.attributes["kind"], found.attributes["peer_transit_gateway_id"]) == (
        peering,
        "peering",
        two,
    )
    assert [(u.usage_type, u.quantity) for u in handler.usage(found)] == [("TransitGateway-Hours", 1.0)]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert aws.counter.calls[("ec2", "DeleteTransitGatewayPeeringAttachment")] == 1
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []


def test_a_peering_request_from_elsewhere_is_rejected():
    # moto cannot hold two accounts' gateways here: the request from another account is stubbed
    stub = StubbedClients("ec2")
    stub.reply(
        "reject_transit_gateway_peering_attachment",
        {
            "TransitGatewayPeeringAttachment": {
                "TransitGatewayAttachmentId": "tgw-attach-9",
                "State": "rejecting",
            }
        },
        {"TransitGatewayAttachmentId": "tgw-attach-9"},
    )
    resource = Resource(
        "ec2:transit-gateway-attachment",
        "tgw-attach-9",
        "111111111111",
        "us-east-1",
        attributes={
            "kind": "peering",
            "state": "pendingAcceptance",
            "requester": {"owner": "222222222222", "region": "eu-west-1"},
        },
    )
    handler = Ec2TransitGatewayAttachmentHandler(stub)
    [result] = handler.delete(Location("111111111111", "us-east-1"), [resource])
    assert result.kind is OutcomeKind.PENDING and "rejecting" in result.message
    assert handler.usage(resource)[0].quantity == 0.0  # not accepted: not billed
    stub.stubber.assert_no_pending_responses()
