from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_vpc_peering_connection import Ec2VpcPeeringConnectionHandler
from tests.integration.stubs import StubbedClients


def _peering(seed, tags=()):
    ec2 = seed("ec2")
    one = ec2.create_vpc(CidrBlock="10.10.0.0/16")["Vpc"]["VpcId"]
    two = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    spec = [{"ResourceType": "vpc-peering-connection", "Tags": list(tags)}] if tags else []
    reply = ec2.create_vpc_peering_connection(VpcId=one, PeerVpcId=two, TagSpecifications=spec)
    return reply["VpcPeeringConnection"]["VpcPeeringConnectionId"], one, two


def test_discovers_deletes_and_confirms_a_peering_connection(aws, location, seed):
    peering, one, two = _peering(seed, [{"Key": "Name", "Value": "shared"}])
    handler = Ec2VpcPeeringConnectionHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == peering and found.name == "shared"
    assert found.attributes["requester"]["vpc_id"] == one and found.attributes["accepter"]["vpc_id"] == two
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []  # listed as "deleted" for a while: not discovered


def test_a_second_delete_finds_it_gone():
    # moto answers a second DeleteVpcPeeringConnection with success; AWS refuses a deleted one
    stub = StubbedClients("ec2")
    stub.error("delete_vpc_peering_connection", "InvalidStateTransition", "pcx-1 is in state deleted")
    stub.reply(
        "describe_vpc_peering_connections",
        {"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "deleted"}}]},
    )
    stub.error("delete_vpc_peering_connection", "InvalidVpcPeeringConnectionID.NotFound")
    handler = Ec2VpcPeeringConnectionHandler(stub)
    resource = Resource("ec2:vpc-peering-connection", "pcx-1", "1", "us-east-1")
    assert handler.delete(Location("1", "us-east-1"), [resource])[0].kind is OutcomeKind.GONE
    assert handler.delete(Location("1", "us-east-1"), [resource])[0].kind is OutcomeKind.GONE
    stub.stubber.assert_no_pending_responses()


def test_a_request_from_another_account_is_rejected_not_deleted():
    # moto keeps every peering in one account; a request from another account is stubbed
    stub = StubbedClients("ec2")
    stub.reply("reject_vpc_peering_connection", {"Return": True}, {"VpcPeeringConnectionId": "pcx-2"})
    resource = Resource(
        "ec2:vpc-peering-connection",
        "pcx-2",
        "111111111111",
        "us-east-1",
        attributes={
            "status": "pending-acceptance",
            "requester": {"owner": "222222222222", "region": "us-east-1"},
            "accepter": {"owner": "111111111111", "region": "us-east-1"},
        },
    )
    [result] = Ec2VpcPeeringConnectionHandler(stub).delete(Location("111111111111", "us-east-1"), [resource])
    assert result.kind is OutcomeKind.DONE and "rejected" in result.message
    stub.stubber.assert_no_pending_responses()


def test_a_connection_still_being_set_up_is_not_yet():
    stub = StubbedClients("ec2")
    stub.error("delete_vpc_peering_connection", "InvalidStateTransition")
    stub.reply(
        "describe_vpc_peering_connections",
        {"VpcPeeringConnections": [{"VpcPeeringConnectionId": "pcx-3", "Status": {"Code": "provisioning"}}]},
    )
    resource = Resource("ec2:vpc-peering-connection", "pcx-3", "1", "us-east-1")
    [result] = Ec2VpcPeeringConnectionHandler(stub).delete(Location("1", "us-east-1"), [resource])
    assert result.kind is OutcomeKind.NOT_YET and not result.blockers
