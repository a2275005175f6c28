"""A whole custom VPC destroyed through the SDK and the real adapters, over HTTP: the VPC core
types, with the instances, addresses and groups in it, come down in dependency order; a kept
subnet holds back what contains it.

moto quirks worked around here: it keeps a route table's or an ACL's association with a subnet
after the subnet is deleted (AWS ends it), so the scene associates none with a subnet it deletes
(the handler tests cover those associations)."""

from __future__ import annotations

import pytest

from costzero.presentation.sdk import CostZero
from tests.integration import vpc_shapes
from tests.integration.conftest import REGION

TYPES = [
    "ec2:instance",
    "ec2:elastic-ip",
    "ec2:security-group",
    "ec2:nat-gateway",
    "ec2:vpc-endpoint",
    "ec2:network-interface",
    "ec2:internet-gateway",
    "ec2:egress-only-internet-gateway",
    "ec2:subnet",
    "ec2:route-table",
    "ec2:network-acl",
    "ec2:vpc",
]


@pytest.fixture
def scene(seed):
    ec2 = seed("ec2")
    vpc = vpc_shapes.vpc(ec2, name="app")
    public = vpc_shapes.subnet(ec2, vpc, "10.1.1.0/24", "us-east-1a")
    private = vpc_shapes.subnet(ec2, vpc, "10.1.2.0/24", "us-east-1b")
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    ec2.create_egress_only_internet_gateway(VpcId=vpc)
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    ec2.create_network_acl(VpcId=vpc)
    nat, allocation = vpc_shapes.nat_gateway(ec2, public)
    ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", VpcEndpointType="Gateway", RouteTableIds=[table]
    )
    group = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    ec2.create_network_interface(SubnetId=private, Groups=[group])
    instance = vpc_shapes.instance(ec2, private)
    return {
        "ec2": ec2,
        "vpc": vpc,
        "private": private,
        "nat": nat,
        "allocation": allocation,
        "instance": instance,
    }


def _sdk(moto_server, tmp_path, **settings):
    return CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        wait={"budget_seconds": 60, "first_delay": 0.05, "max_delay": 0.2},
        **settings,
    )


def test_a_custom_vpc_comes_down_whole_and_the_default_vpc_stays(moto_server, scene, tmp_path):
    ec2 = scene["ec2"]
    with _sdk(moto_server, tmp_path) as sdk:
        plan = sdk.plan(types=TYPES, accounts=[sdk.whoami()])
        assert not plan.blocked
        result = sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok, result.task_reasons
    assert [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]] == [vpc_shapes.default_vpc(ec2)]
    assert ec2.describe_addresses()["Addresses"] == []
    assert ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [scene["vpc"]]}])["Subnets"] == []


def test_a_kept_subnet_holds_back_its_vpc_without_waiting(moto_server, scene, tmp_path):
    ec2 = scene["ec2"]
    ec2.create_tags(Resources=[scene["private"]], Tags=[{"Key": "keep", "Value": "true"}])
    with _sdk(moto_server, tmp_path, exclude_tags=["keep=true"]) as sdk:
        plan = sdk.plan(types=TYPES, accounts=[sdk.whoami()])
        reasons = {b.resource.id: b.reason for b in plan.blocked}
        assert reasons[scene["vpc"]].startswith(f"contains {scene['private']}, which is kept")
        result = sdk.destroy(plan, dry_run=False, yes=True)
    assert not result.ok  # the VPC was asked for and stays
    assert not any("gave up" in reason for reason in result.task_reasons.values())
    assert ec2.describe_subnets(SubnetIds=[scene["private"]])["Subnets"]
    assert ec2.describe_vpcs(VpcIds=[scene["vpc"]])["Vpcs"]
