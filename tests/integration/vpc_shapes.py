"""Small VPC scenes on the moto server, shared by the VPC core handler tests."""

from __future__ import annotations

from typing import Any

TAG_KEY, TAG_VALUE = "team", "net"


def tags(kind: str, name: str = "") -> list[dict[str, Any]]:
    values = [{"Key": TAG_KEY, "Value": TAG_VALUE}, *([{"Key": "Name", "Value": name}] if name else [])]
    return [{"ResourceType": kind, "Tags": values}]


def vpc(ec2: Any, cidr: str = "10.1.0.0/16", name: str = "") -> str:
    return str(ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tags("vpc", name))["Vpc"]["VpcId"])


def subnet(ec2: Any, vpc_id: str, cidr: str = "10.1.1.0/24", zone: str = "us-east-1a") -> str:
    return str(
        ec2.create_subnet(
            VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone, TagSpecifications=tags("subnet")
        )["Subnet"]["SubnetId"]
    )


def default_vpc(ec2: Any) -> str:
    return str(ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"])


def instance(ec2: Any, subnet_id: str) -> str:
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    return str(
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet_id)["Instances"][0][
            "InstanceId"
        ]
    )


def nat_gateway(ec2: Any, subnet_id: str) -> tuple[str, str]:
    """A public NAT gateway and the Elastic IP it holds."""
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    gateway = ec2.create_nat_gateway(
        SubnetId=subnet_id, AllocationId=allocation, TagSpecifications=tags("natgateway", "nat")
    )["NatGateway"]["NatGatewayId"]
    return str(gateway), str(allocation)
