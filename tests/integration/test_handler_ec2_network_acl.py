from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handlers.ec2_network_acl import Ec2NetworkAclHandler
from tests.integration import vpc_shapes
from tests.integration.stubs import StubbedClients


def test_discovers_non_default_acls_and_deletes_them(aws, location, seed):
    ec2 = seed("ec2")
    acl = ec2.create_network_acl(
        VpcId=vpc_shapes.vpc(ec2), TagSpecifications=vpc_shapes.tags("network-acl", "acl")
    )
    acl_id = acl["NetworkAcl"]["NetworkAclId"]
    handler = Ec2NetworkAclHandler(aws)
    [found] = handler.discover(location, [])  # default ACLs go with their VPC
    assert found.id == acl_id and found.name == "acl"
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.GONE]  # idempotent


def test_an_acl_waits_for_its_subnets(aws, location, seed):
    ec2 = seed("ec2")
    vpc = vpc_shapes.vpc(ec2)
    subnet = vpc_shapes.subnet(ec2, vpc)
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    current = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [subnet]}])
    association = current["NetworkAcls"][0]["Associations"][0]["NetworkAclAssociationId"]
    ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl)
    handler = Ec2NetworkAclHandler(aws)
    [found] = handler.discover(location, [])
    assert found.links == (Link("ec2:subnet", subnet, "associated with"),)
    [result] = handler.delete(location, [found])
    assert result.kind is OutcomeKind.NOT_YET and result.blockers == (subnet,)


def test_an_acl_aws_still_holds_is_not_yet():
    # moto deletes an associated ACL; AWS refuses (DependencyViolation)
    stub = StubbedClients("ec2")
    stub.reply("describe_network_acls", {"NetworkAcls": [{"NetworkAclId": "acl-1", "Associations": []}]})
    stub.error("delete_network_acl", "DependencyViolation", "The network ACL 'acl-1' has dependencies")
    [result] = Ec2NetworkAclHandler(stub).delete(
        Location("1", "r"), [Resource("ec2:network-acl", "acl-1", "1", "r")]
    )
    assert result.kind is OutcomeKind.NOT_YET
