from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_security_group import Ec2SecurityGroupHandler
from tests.integration.stubs import StubbedClients


def test_groups_that_reference_each_other_go_in_one_call_and_default_never_shows(aws, location, seed):
    ec2 = seed("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    a = ec2.create_security_group(GroupName="a", Description="a", VpcId=vpc)["GroupId"]
    b = ec2.create_security_group(GroupName="b", Description="b", VpcId=vpc)["GroupId"]
    for this, other in ((a, b), (b, a)):
        ec2.authorize_security_group_ingress(
            GroupId=this,
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "UserIdGroupPairs": [{"GroupId": other}],
                },
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
            ],
        )
    handler = Ec2SecurityGroupHandler(aws)
    found = handler.discover(location, [])
    assert {r.name for r in found} == {"a", "b"}  # no "default"
    assert {o.kind for o in handler.delete(location, found)} == {OutcomeKind.DONE}
    assert aws.counter.calls[("ec2", "RevokeSecurityGroupIngress")] == 2
    left = [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]]
    assert left == ["default"]


def test_a_group_in_use_is_not_yet():
    # moto deletes a group that an instance still uses; real AWS answers DependencyViolation.
    stub = StubbedClients("ec2")
    stub.error("delete_security_group", "DependencyViolation", "resource sg-1 has a dependent object")
    group = Resource("ec2:security-group", "sg-1", "1", "r", attributes={"ingress": [], "egress": []})
    [result] = Ec2SecurityGroupHandler(stub).delete(Location("1", "r"), [group])
    assert result.kind is OutcomeKind.NOT_YET


def test_a_vanished_group_is_gone(aws, location, seed):
    ec2 = seed("ec2")
    group = ec2.create_security_group(GroupName="x", Description="x")["GroupId"]
    handler = Ec2SecurityGroupHandler(aws)
    found = handler.discover(location, [])
    ec2.delete_security_group(GroupId=group)
    assert handler.delete(location, found)[0].kind is OutcomeKind.GONE
