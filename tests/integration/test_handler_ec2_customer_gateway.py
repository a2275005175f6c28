from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_customer_gateway import Ec2CustomerGatewayHandler
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_customer_gateways_once(aws, location, seed):
    ec2 = seed("ec2")
    spec = [{"ResourceType": "customer-gateway", "Tags": [{"Key": "team", "Value": "net"}]}]
    gateway = ec2.create_customer_gateway(
        BgpAsn=65010, PublicIp="203.0.113.20", Type="ipsec.1", TagSpecifications=spec
    )
    handler = Ec2CustomerGatewayHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == gateway["CustomerGateway"]["CustomerGatewayId"] and found.tags == {"team": "net"}
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []  # listed as "deleted" for a while: not discovered


def test_a_gateway_gone_since_discovery_is_gone_and_one_in_use_not_yet():
    # moto deletes a customer gateway a VPN connection still uses; AWS answers IncorrectState
    stub = StubbedClients("ec2")
    stub.error("delete_customer_gateway", "InvalidCustomerGatewayID.NotFound")
    stub.error("delete_customer_gateway", "IncorrectState", "in use by vpn-0a1b2c3d")
    handler = Ec2CustomerGatewayHandler(stub)
    location = Location("1", "us-east-1")
    gone, used = (Resource("ec2:customer-gateway", i, "1", "us-east-1") for i in ("cgw-1", "cgw-2"))
    assert handler.delete(location, [gone])[0].kind is OutcomeKind.GONE
    [result] = handler.delete(location, [used])
    assert result.kind is OutcomeKind.NOT_YET and result.blockers == ("vpn-0a1b2c3d",)
