from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_vpn_connection import Ec2VpnConnectionHandler
from tests.integration.stubs import StubbedClients


def connect(seed, **target):
    ec2 = seed("ec2")
    customer = ec2.create_customer_gateway(BgpAsn=65000, PublicIp="203.0.113.9", Type="ipsec.1")
    reply = ec2.create_vpn_connection(
        CustomerGatewayId=customer["CustomerGateway"]["CustomerGatewayId"],
        Type="ipsec.1",
        TagSpecifications=[{"ResourceType": "vpn-connection", "Tags": [{"Key": "Name", "Value": "office"}]}],
        **target,
    )
    return reply["VpnConnection"]["VpnConnectionId"]


def test_discovers_prices_deletes_and_confirms_connections(aws, location, seed):
    ec2 = seed("ec2")
    on_vgw = connect(seed, VpnGatewayId=ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"])
    gateway = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    on_tgw = connect(seed, TransitGatewayId=gateway)
    handler = Ec2VpnConnectionHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert set(found) == {on_vgw, on_tgw} and found[on_vgw].name == "office"
    assert [(u.usage_type, u.quantity) for u in handler.usage(found[on_vgw])] == [
        ("VPN-Usage-Hours:ipsec.1", 1.0)
    ]
    # on a transit gateway, the connection's attachment bills an attachment-hour as well
    assert [(u.usage_type, u.quantity) for u in handler.usage(found[on_tgw])] == [
        ("VPN-Usage-Hours:ipsec.1", 1.0),
        ("TransitGateway-Hours", 1.0),
    ]
    resources = list(found.values())
    assert {o.kind for o in handler.delete(location, resources)} == {OutcomeKind.PENDING}
    assert {o.kind for o in handler.confirm_gone(location, resources)} == {OutcomeKind.DONE}
    assert handler.discover(location, []) == []  # listed as "deleted" for a while: not discovered


def test_a_second_delete_is_gone(aws, location, seed):
    connection = connect(
        seed, VpnGatewayId=seed("ec2").create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    )
    handler = Ec2VpnConnectionHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == connection
    handler.delete(location, [found])
    # moto accepts DeleteVpnConnection again for a deleted one; AWS answers NotFound once it is forgotten
    stub = StubbedClients("ec2")
    stub.error("delete_vpn_connection", "InvalidVpnConnectionID.NotFound")
    assert Ec2VpnConnectionHandler(stub).delete(location, [found])[0].kind is OutcomeKind.GONE


def test_a_connection_still_deleting_is_pending():
    stub = StubbedClients("ec2")
    stub.reply(
        "describe_vpn_connections", {"VpnConnections": [{"VpnConnectionId": "vpn-1", "State": "deleting"}]}
    )
    [result] = Ec2VpnConnectionHandler(stub).confirm_gone(
        Location("1", "us-east-1"), [Resource("ec2:vpn-connection", "vpn-1", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PENDING
