from costzero.domain.outcomes import OutcomeKind
from costzero.infrastructure.aws.handlers.ec2_egress_only_internet_gateway import (
    Ec2EgressOnlyInternetGatewayHandler,
)
from tests.integration import vpc_shapes


def test_discovers_and_deletes_egress_only_gateways_without_a_detach(aws, location, seed):
    ec2 = seed("ec2")
    vpc = vpc_shapes.vpc(ec2)
    gateway = ec2.create_egress_only_internet_gateway(
        VpcId=vpc, TagSpecifications=vpc_shapes.tags("egress-only-internet-gateway")
    )["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"]
    handler = Ec2EgressOnlyInternetGatewayHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == gateway and found.attributes["vpc_ids"] == [vpc]
    assert found.tags[vpc_shapes.TAG_KEY] == vpc_shapes.TAG_VALUE
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]  # AWS has no detach
    assert handler.discover(location, []) == []
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.GONE]
