from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_vpn_gateway import Ec2VpnGatewayHandler
from tests.integration.stubs import StubbedClients


def test_an_attached_gateway_is_detached_then_deleted(aws, location, seed):
    ec2 = seed("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    spec = [{"ResourceType": "vpn-gateway", "Tags": [{"Key": "Name", "Value": "edge"}]}]
    gateway = ec2.create_vpn_gateway(Type="ipsec.1", TagSpecifications=spec)["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=gateway, VpcId=vpc)
    handler = Ec2VpnGatewayHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == gateway and found.name == "edge" and found.attributes["attached_to"] == [vpc]

    [first] = handler.delete(location, [found])  # detaches: AWS would refuse to delete it attached
    assert first.kind is OutcomeKind.NOT_YET and not first.blockers  # the VPC is not what holds it
    assert aws.counter.calls[("ec2", "DetachVpnGateway")] == 1
    assert aws.counter.calls.get(("ec2", "DeleteVpnGateway"), 0) == 0
    [second] = handler.delete(location, [found])  # moto detaches at once
    assert second.kind is OutcomeKind.PENDING
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE  # idempotent


def test_a_gateway_still_detaching_waits_without_a_call():
    stub = StubbedClients("ec2")
    stub.reply(
        "describe_vpn_gateways",
        {
            "VpnGateways": [
                {
                    "VpnGatewayId": "vgw-1",
                    "State": "available",
                    "VpcAttachments": [{"VpcId": "vpc-1", "State": "detaching"}],
                }
            ]
        },
    )
    [result] = Ec2VpnGatewayHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("ec2:vpn-gateway", "vgw-1", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
    stub.stubber.assert_no_pending_responses()


def test_a_gateway_a_vpn_connection_uses_is_not_yet():
    # moto deletes a gateway that a VPN connection still uses; AWS answers IncorrectState
    stub = StubbedClients("ec2")
    stub.reply("describe_vpn_gateways", {"VpnGateways": [{"VpnGatewayId": "vgw-2", "State": "available"}]})
    stub.error("delete_vpn_gateway", "IncorrectState", "The virtual private gateway has VPN connections")
    [result] = Ec2VpnGatewayHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("ec2:vpn-gateway", "vgw-2", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
