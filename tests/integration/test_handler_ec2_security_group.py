from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
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


def test_a_group_in_use_is_not_yet_and_names_what_holds_it():
    # moto deletes a group that an instance still uses; real AWS answers DependencyViolation
    # without saying what depends on it, so the handler looks it up (Stubber: what AWS answers).
    stub = StubbedClients("ec2")
    stub.error("delete_security_group", "DependencyViolation", "resource sg-1 has a dependent object")
    stub.reply(
        "describe_network_interfaces",
        {
            "NetworkInterfaces": [
                {
                    "NetworkInterfaceId": "eni-1",
                    # AWS always answers these two: the instance's own interface, which goes with it
                    "Attachment": {
                        "InstanceId": "i-2",
                        "Status": "attached",
                        "DeviceIndex": 0,
                        "DeleteOnTermination": True,
                    },
                    "Groups": [{"GroupId": "sg-1"}],
                },
                {"NetworkInterfaceId": "eni-3", "Groups": [{"GroupId": "sg-1"}]},
                {  # a classic load balancer's: it stands for the load balancer
                    "NetworkInterfaceId": "eni-5",
                    "RequesterManaged": True,
                    "Description": "ELB legacy-web",
                    "Groups": [{"GroupId": "sg-1"}],
                },
            ]
        },
    )
    stub.reply("describe_security_groups", {"SecurityGroups": [{"GroupId": "sg-4"}]})
    group = Resource("ec2:security-group", "sg-1", "1", "r", attributes={"ingress": [], "egress": []})
    [result] = Ec2SecurityGroupHandler(stub).delete(Location("1", "r"), [group])
    assert result.kind is OutcomeKind.NOT_YET
    assert result.blockers == ("i-2", "eni-3", "legacy-web", "sg-4")


def test_discovery_links_a_group_to_the_instances_using_it_and_the_groups_naming_it(aws, location, seed):
    ec2 = seed("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    used = ec2.create_security_group(GroupName="used", Description="u", VpcId=vpc)["GroupId"]
    named = ec2.create_security_group(GroupName="named", Description="n", VpcId=vpc)["GroupId"]
    rule = {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2, "UserIdGroupPairs": [{"GroupId": named}]}
    ec2.authorize_security_group_ingress(GroupId=used, IpPermissions=[rule])
    by_default = ec2.create_security_group(GroupName="by-default", Description="d", VpcId=vpc)["GroupId"]
    default = next(g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] == "default")
    rule = {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2, "UserIdGroupPairs": [{"GroupId": by_default}]}
    ec2.authorize_security_group_ingress(GroupId=default["GroupId"], IpPermissions=[rule])
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SecurityGroupIds=[used])["Instances"][
        0
    ]["InstanceId"]
    links = {r.id: set(r.links) for r in Ec2SecurityGroupHandler(aws).discover(location, [])}
    assert links[used] == {Link("ec2:instance", instance, "used by")}
    assert links[named] == {Link("ec2:security-group", used, "named in a rule of")}
    # the default group is never deleted, so what it names is held back for good
    assert links[by_default] == {Link("ec2:default-security-group", default["GroupId"], "named in a rule of")}


def test_a_second_interface_that_outlives_its_instance_holds_its_group_itself(aws, location, seed):
    # an interface attached as a second device and not deleted on termination stays, detached, in
    # its groups after the instance is terminated: AWS refuses DeleteSecurityGroup until it is gone.
    # Linking the group only to the instance let a destroy try the group too early (moto deletes it)
    ec2 = seed("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    own = ec2.create_security_group(GroupName="own", Description="o", VpcId=vpc)["GroupId"]
    second = ec2.create_security_group(GroupName="second", Description="s", VpcId=vpc)["GroupId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, SecurityGroupIds=[own]
    )["Instances"][0]["InstanceId"]
    interface = ec2.create_network_interface(SubnetId=subnet, Groups=[second])["NetworkInterface"][
        "NetworkInterfaceId"
    ]
    ec2.attach_network_interface(NetworkInterfaceId=interface, InstanceId=instance, DeviceIndex=1)
    links = {r.id: set(r.links) for r in Ec2SecurityGroupHandler(aws).discover(location, [])}
    assert Link("ec2:instance", instance, "used by") in links[own]  # (moto adds `own` to the second too)
    assert links[second] == {Link("ec2:network-interface", interface, "used by")}


def test_a_vanished_group_is_gone(aws, location, seed):
    ec2 = seed("ec2")
    group = ec2.create_security_group(GroupName="x", Description="x")["GroupId"]
    handler = Ec2SecurityGroupHandler(aws)
    found = handler.discover(location, [])
    ec2.delete_security_group(GroupId=group)
    assert handler.delete(location, found)[0].kind is OutcomeKind.GONE


def test_a_group_an_environment_made_is_linked_to_that_environment(aws, location, seed):
    ec2 = seed("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    made = ec2.create_security_group(
        GroupName="awseb-e-abc-stack-AWSEBSecurityGroup",
        Description="made by the environment's stack",
        VpcId=vpc,
        TagSpecifications=[
            {
                "ResourceType": "security-group",
                "Tags": [{"Key": "elasticbeanstalk:environment-id", "Value": "e-abc123"}],
            }
        ],
    )["GroupId"]
    own = ec2.create_security_group(GroupName="own", Description="o", VpcId=vpc)["GroupId"]
    links = {r.id: set(r.links) for r in Ec2SecurityGroupHandler(aws).discover(location, [])}
    assert links[made] == {Link("elasticbeanstalk:environment", "e-abc123", "made by")}
    assert links[own] == set()
