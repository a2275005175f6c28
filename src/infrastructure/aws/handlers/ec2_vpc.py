from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict
from costzero.infrastructure.aws.handler_kit.vpc import listed

# (type, describe call, items key, ID key, what to skip, relation): the parts of a VPC that must go
# before it. Main route tables, default ACLs and default security groups go with the VPC itself.
PARTS: tuple[tuple[str, str, str, str, Any, str], ...] = (
    ("ec2:subnet", "describe_subnets", "Subnets", "SubnetId", lambda i: False, "contains"),
    (
        "ec2:route-table",
        "describe_route_tables",
        "RouteTables",
        "RouteTableId",
        lambda i: any(a.get("Main") for a in i.get("Associations", [])),
        "contains",
    ),
    (
        "ec2:network-acl",
        "describe_network_acls",
        "NetworkAcls",
        "NetworkAclId",
        lambda i: i.get("IsDefault"),
        "contains",
    ),
    (
        "ec2:security-group",
        "describe_security_groups",
        "SecurityGroups",
        "GroupId",
        lambda i: i.get("GroupName") == "default",
        "contains",
    ),
    (
        "ec2:nat-gateway",
        "describe_nat_gateways",
        "NatGateways",
        "NatGatewayId",
        lambda i: i.get("State") == "deleted",
        "contains",
    ),
    (
        "ec2:vpc-endpoint",
        "describe_vpc_endpoints",
        "VpcEndpoints",
        "VpcEndpointId",
        lambda i: str(i.get("State", "")).lower() == "deleted",
        "contains",
    ),
)
GATEWAYS = (  # attached gateways name their VPCs in Attachments
    ("ec2:internet-gateway", "describe_internet_gateways", "InternetGateways", "InternetGatewayId"),
    (
        "ec2:egress-only-internet-gateway",
        "describe_egress_only_internet_gateways",
        "EgressOnlyInternetGateways",
        "EgressOnlyInternetGatewayId",
    ),
)

SPEC = ResourceTypeSpec(
    key="ec2:vpc",
    # AWS refuses to delete a VPC while anything is in it or attached to it (DependencyViolation)
    requires=(
        *(part[0] for part in PARTS),
        *(gateway[0] for gateway in GATEWAYS),
        "ec2:instance",  # through their interfaces, which are in its subnets
        "ec2:network-interface",  # likewise
        "ec2:vpn-gateway",  # attached to it
        "ec2:transit-gateway-attachment",  # attaches it to a transit gateway
        "ec2:vpc-peering-connection",  # peers it (ordering kept safe; AWS deletes active peerings)
    ),
    # discovery links each VPC to its subnets, tables, ACLs, groups, NAT gateways, endpoints and
    # gateways (instances and interfaces are in its subnets, which wait for them)
    linked_requires=(*(part[0] for part in PARTS), *(gateway[0] for gateway in GATEWAYS)),
    description="VPCs other than the default VPC (last: everything in them goes first)",
)


def _parts(ec2: Any) -> dict[str, list[Link]]:
    """VPC ID -> what must go before it."""
    parts: dict[str, list[Link]] = {}
    for type_key, call, items_key, id_key, skip, relation in PARTS:
        for item in listed(ec2, call, items_key):
            if item.get("VpcId") and not skip(item):
                parts.setdefault(item["VpcId"], []).append(Link(type_key, item[id_key], relation))
    for type_key, call, items_key, id_key in GATEWAYS:
        for item in listed(ec2, call, items_key):
            for attachment in item.get("Attachments", []):
                if attachment.get("VpcId"):
                    link = Link(type_key, item[id_key], "attached to")
                    parts.setdefault(attachment["VpcId"], []).append(link)
    return parts


class Ec2VpcHandler(AwsHandler):
    spec = SPEC
    free_because = "VPCs have no charge of their own (what is in them is priced on its own)"
    iam_actions = (
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeRouteTables",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNatGateways",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeEgressOnlyInternetGateways",
        "ec2:DeleteVpc",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ec2 = self.client(location)
        vpcs = [
            vpc
            for vpc in listed(ec2, "describe_vpcs", "Vpcs")
            if self.options.include_defaults or not vpc.get("IsDefault")
        ]  # the default VPC stays unless --include-defaults
        parts = _parts(ec2) if vpcs else {}
        found = []
        for vpc in vpcs:
            tags = tag_dict(vpc.get("Tags"))
            found.append(
                self.resource(
                    location,
                    vpc["VpcId"],
                    name=tags.get("Name"),
                    tags=tags,
                    attributes={"cidr": vpc.get("CidrBlock"), "is_default": bool(vpc.get("IsDefault"))},
                    links=tuple(parts.get(vpc["VpcId"], ())),
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        # DependencyViolation (something still in it) -> not yet
        return each(resources, lambda vpc: ec2.delete_vpc(VpcId=vpc.id), "ec2:DeleteVpc")
