from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict
from costzero.infrastructure.aws.handler_kit.vpc import default_vpc_ids, listed

SPEC = ResourceTypeSpec(
    key="ec2:internet-gateway",
    # AWS refuses to detach a gateway while its VPC has mapped public addresses (DependencyViolation
    # "has some mapped public address(es)"): instances' public IPs, Elastic IPs, and the address of
    # each public NAT gateway
    requires=(
        "ec2:instance",
        "ec2:elastic-ip",
        "ec2:nat-gateway",
        "autoscaling:group",  # would launch instances with public addresses again
        "eks:nodegroup",  # its instances
        "ecs:service",  # awsvpc tasks with a public address
        "rds:db-instance",  # a publicly accessible database's address
        "elasticbeanstalk:environment",  # its instances and load balancer
        "elbv2:load-balancer",  # internet-facing load balancers' public addresses
        "elb:load-balancer",
    ),
    description="Internet gateways (detached from their VPC, then deleted)",
)


class Ec2InternetGatewayHandler(AwsHandler):
    spec = SPEC
    free_because = "internet gateways have no charge (data transfer is billed to what sends it)"
    iam_actions = (
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs",
        "ec2:DetachInternetGateway",
        "ec2:DeleteInternetGateway",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ec2 = self.client(location)
        defaults = frozenset() if self.options.include_defaults else default_vpc_ids(ec2)
        found = []
        for gateway in listed(ec2, "describe_internet_gateways", "InternetGateways"):
            vpcs = [a["VpcId"] for a in gateway.get("Attachments", []) if a.get("VpcId")]
            if defaults.intersection(vpcs):
                continue  # the default VPC's gateway: stays unless --include-defaults
            tags = tag_dict(gateway.get("Tags"))
            found.append(
                self.resource(
                    location,
                    gateway["InternetGatewayId"],
                    name=tags.get("Name"),
                    tags=tags,
                    attributes={"vpc_ids": vpcs},
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)

        def delete(gateway: Resource) -> None:
            for vpc in gateway.attributes.get("vpc_ids") or ():
                _detach(ec2, gateway.id, vpc)  # DependencyViolation (mapped addresses) -> not yet
            ec2.delete_internet_gateway(InternetGatewayId=gateway.id)  # attached since -> not yet

        return each(resources, delete, "ec2:DeleteInternetGateway")


def _detach(ec2: Any, gateway_id: str, vpc_id: str) -> None:
    """Detach; already detached (by an earlier attempt) is fine, any other error is the gateway's."""
    try:
        ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    except ClientError as error:
        if error_code(error) != "Gateway.NotAttached":
            raise
