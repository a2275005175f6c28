from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict
from costzero.infrastructure.aws.handler_kit.vpc import (
    INTERFACE_OWNERS,
    database_users,
    default_vpc_ids,
    instance_of,
    listed,
    owner,
    owner_link,
)

SPEC = ResourceTypeSpec(
    key="ec2:subnet",
    # AWS refuses to delete a subnet while anything holds a network interface in it
    # (DependencyViolation): the types below place interfaces or instances in subnets
    requires=(
        "ec2:instance",
        "ec2:network-interface",
        "ec2:nat-gateway",
        "ec2:vpc-endpoint",  # interface endpoints' interfaces
        "autoscaling:group",  # would launch instances into it again
        "elasticbeanstalk:environment",  # its instances and load balancer
        "ecs:service",  # awsvpc tasks' interfaces
        "eks:nodegroup",  # its instances
        "lambda:function",  # VPC functions' interfaces (AWS removes them after the function)
        "rds:db-instance",  # a database's interface
        "sagemaker:notebook-instance",  # a notebook's interface in the subnet
        "sagemaker:endpoint",  # VPC-configured endpoints' interfaces
        *INTERFACE_OWNERS,  # network interfaces other services own in the subnet
    ),
    # discovery links each subnet to the instances, interfaces, NAT gateways and endpoints in it
    linked_requires=("ec2:instance", "ec2:network-interface", "ec2:nat-gateway", "ec2:vpc-endpoint"),
    description="Subnets other than the default VPC's default subnets",
)


def _occupants(ec2: Any, location: Location) -> dict[str, list[Link]]:
    """Subnet ID -> what holds it: instances, the interfaces costzero deletes, NAT gateways and
    endpoints.
    Interfaces that go with their owner stand for it where their description names it (load
    balancers, EFS mount targets: `owner_link`); the others (Lambda, RDS ...) are not linked: their
    owner's type holds the subnet (`requires`), and AWS's "not yet" does the rest."""
    users: dict[str, list[Link]] = {}
    for interface in listed(ec2, "describe_network_interfaces", "NetworkInterfaces"):
        link = _user(interface, location)
        if (
            interface.get("SubnetId")
            and link is not None
            and link not in users.get(interface["SubnetId"], [])
        ):
            users.setdefault(interface["SubnetId"], []).append(link)
    for gateway in listed(ec2, "describe_nat_gateways", "NatGateways"):
        if gateway.get("SubnetId") and gateway.get("State") != "deleted":
            users.setdefault(gateway["SubnetId"], []).append(
                Link("ec2:nat-gateway", gateway["NatGatewayId"], "used by")
            )
    for endpoint in listed(ec2, "describe_vpc_endpoints", "VpcEndpoints"):
        if str(endpoint.get("State", "")).lower() != "deleted":
            for subnet in endpoint.get("SubnetIds", []):
                users.setdefault(subnet, []).append(
                    Link("ec2:vpc-endpoint", endpoint["VpcEndpointId"], "used by")
                )
    return users


def _user(interface: dict[str, Any], location: Location) -> Link | None:
    """What an interface in a subnet stands for: itself, the instance it goes with, or its owner."""
    instance = instance_of(interface)
    if instance:
        return Link("ec2:instance", instance, "used by")
    if owner(interface) is None:
        return Link("ec2:network-interface", interface["NetworkInterfaceId"], "used by")
    return owner_link(interface, location.account, location.region)


class Ec2SubnetHandler(AwsHandler):
    spec = SPEC
    free_because = "subnets have no charge of their own"
    iam_actions = (
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeNatGateways",
        "ec2:DescribeVpcEndpoints",
        "rds:DescribeDBInstances",
        "ec2:DeleteSubnet",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ec2 = self.client(location)
        defaults = frozenset() if self.options.include_defaults else default_vpc_ids(ec2)
        subnets = [
            subnet
            for subnet in listed(ec2, "describe_subnets", "Subnets")
            # the default VPC's default subnets stay unless --include-defaults. Both are asked:
            # only the default VPC has default subnets on AWS, but moto also marks the first
            # subnet of a zone in any VPC
            if not (subnet.get("DefaultForAz") and subnet.get("VpcId") in defaults)
        ]
        users = _occupants(ec2, location) if subnets else {}
        databases = database_users(self.client(location, service="rds"))[0] if subnets else {}
        found = []
        for subnet in subnets:
            tags = tag_dict(subnet.get("Tags"))
            found.append(
                self.resource(
                    location,
                    subnet["SubnetId"],
                    name=tags.get("Name"),
                    tags=tags,
                    attributes={
                        "vpc_id": subnet.get("VpcId"),
                        "availability_zone": subnet.get("AvailabilityZone"),
                        "cidr": subnet.get("CidrBlock"),
                        "default_for_az": bool(subnet.get("DefaultForAz")),
                    },
                    links=(*users.get(subnet["SubnetId"], ()), *databases.get(subnet["SubnetId"], ())),
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        outcomes = each(resources, lambda s: ec2.delete_subnet(SubnetId=s.id), "ec2:DeleteSubnet")
        # DependencyViolation names nothing: look up the instances and the interfaces costzero
        # could delete that are still there. One the run does not delete holds the subnet for good
        # (BLOCKED); interfaces of AWS services are not named, they go with their owner and are
        # waited for.
        return [
            replace(result, blockers=self._blockers(ec2, location, result.resource_id))
            if result.kind is OutcomeKind.NOT_YET
            else result
            for result in outcomes
        ]

    @staticmethod
    def _blockers(ec2: Any, location: Location, subnet_id: str) -> tuple[str, ...]:
        try:
            interfaces = listed(
                ec2,
                "describe_network_interfaces",
                "NetworkInterfaces",
                Filters=[{"Name": "subnet-id", "Values": [subnet_id]}],
            )
        except ClientError:
            return ()  # unknown: the subnet is simply waited for
        users = [_user(i, location) for i in interfaces]
        return tuple(dict.fromkeys(link.id for link in users if link is not None))
