from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.ec2_subnet import Ec2SubnetHandler
from tests.integration import vpc_shapes
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_subnets_but_not_the_default_ones(aws, location, seed):
    ec2 = seed("ec2")
    vpc = vpc_shapes.vpc(ec2)
    subnet = vpc_shapes.subnet(ec2, vpc)
    handler = Ec2SubnetHandler(aws)
    [found] = handler.discover(location, [])  # moto's default VPC has a default subnet per AZ
    assert found.id == subnet and found.attributes["vpc_id"] == vpc and not found.attributes["default_for_az"]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.GONE]  # idempotent
    assert handler.discover(location, []) == []


def test_default_subnets_only_with_include_defaults(aws, location, seed):
    defaults = seed("ec2").describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])[
        "Subnets"
    ]
    found = Ec2SubnetHandler(aws, HandlerOptions(include_defaults=True)).discover(location, [])
    assert {r.id for r in found} == {s["SubnetId"] for s in defaults} and defaults


def test_subnets_are_linked_to_what_they_hold(aws, location, seed):
    ec2 = seed("ec2")
    subnet = vpc_shapes.subnet(ec2, vpc_shapes.vpc(ec2))
    interface = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    gateway, _ = vpc_shapes.nat_gateway(ec2, subnet)
    instance = vpc_shapes.instance(ec2, subnet)
    [found] = Ec2SubnetHandler(aws).discover(location, [])
    assert Link("ec2:network-interface", interface, "used by") in found.links
    assert Link("ec2:nat-gateway", gateway, "used by") in found.links
    # the instance, not its primary interface (which goes with it): a kept instance holds the subnet
    assert Link("ec2:instance", instance, "used by") in found.links


def test_a_subnet_in_use_is_not_yet_and_names_the_instances_and_interfaces_holding_it():
    # moto deletes a subnet that still holds interfaces; AWS answers DependencyViolation
    stub = StubbedClients("ec2")
    stub.error(
        "delete_subnet",
        "DependencyViolation",
        "The subnet 'subnet-1' has dependencies and cannot be deleted.",
    )
    stub.reply(
        "describe_network_interfaces",
        {
            "NetworkInterfaces": [
                {"NetworkInterfaceId": "eni-mine", "InterfaceType": "interface"},
                {
                    "NetworkInterfaceId": "eni-primary",
                    "Attachment": {"InstanceId": "i-1", "DeleteOnTermination": True, "Status": "attached"},
                },
                {
                    "NetworkInterfaceId": "eni-elb",
                    "RequesterManaged": True,
                    "RequesterId": "amazon-elb",
                    "Description": "ELB app/web/50dc6c495c0c9188",
                },
                {
                    "NetworkInterfaceId": "eni-rds",
                    "RequesterManaged": True,
                    "Description": "RDSNetworkInterface",
                },
            ]
        },
    )
    [result] = Ec2SubnetHandler(stub).delete(
        Location("1", "r"), [Resource("ec2:subnet", "subnet-1", "1", "r")]
    )
    # the load balancer's interface stands for the load balancer (a run that leaves it, protected,
    # blocks the subnet at once); the database's names no one: waited for, not named
    web = "arn:aws:elasticloadbalancing:r:1:loadbalancer/app/web/50dc6c495c0c9188"
    assert result.kind is OutcomeKind.NOT_YET and result.blockers == ("eni-mine", "i-1", web)
