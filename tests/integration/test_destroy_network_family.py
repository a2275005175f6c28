"""A VPN, transit gateway, peering and launch estate destroyed through the SDK, in dependency order
(VPN connections before their gateways, attachments before the transit gateway, groups before the
templates and configurations they launch from, the group's ForceDelete before its instances)."""

from __future__ import annotations

from collections import Counter

import boto3
import pytest

from costzero.presentation.sdk import CostZero
from tests.integration.conftest import REGION

TYPES = [
    "ec2:vpc-peering-connection",
    "ec2:transit-gateway",
    "ec2:transit-gateway-attachment",
    "ec2:vpn-connection",
    "ec2:vpn-gateway",
    "ec2:customer-gateway",
    "ec2:launch-template",
    "autoscaling:launch-configuration",
    "autoscaling:group",
    "ec2:instance",
]


def _seed(endpoint_url: str) -> None:
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint_url)
    autoscaling = boto3.client("autoscaling", region_name=REGION, endpoint_url=endpoint_url)
    one = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    two = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=one, CidrBlock="10.60.1.0/24")["Subnet"]["SubnetId"]
    ec2.create_vpc_peering_connection(VpcId=one, PeerVpcId=two)
    hub = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=hub, VpcId=one, SubnetIds=[subnet])
    office = ec2.create_customer_gateway(BgpAsn=65000, PublicIp="203.0.113.30", Type="ipsec.1")
    office_id = office["CustomerGateway"]["CustomerGatewayId"]
    edge = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=edge, VpcId=two)
    ec2.create_vpn_connection(CustomerGatewayId=office_id, Type="ipsec.1", VpnGatewayId=edge)
    ec2.create_vpn_connection(CustomerGatewayId=office_id, Type="ipsec.1", TransitGatewayId=hub)
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": image})
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="old-web", ImageId=image, InstanceType="t3.micro"
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web",
        MinSize=2,
        MaxSize=2,
        LaunchTemplate={"LaunchTemplateName": "web"},
        AvailabilityZones=["us-east-1a"],
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="old-web",
        MinSize=1,
        MaxSize=1,
        LaunchConfigurationName="old-web",
        AvailabilityZones=["us-east-1a"],
    )


@pytest.fixture
def sdk(moto_server, tmp_path):
    moto_server.reset()
    _seed(moto_server.endpoint_url)
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        wait={"budget_seconds": 60, "first_delay": 0.05, "max_delay": 0.2},
    ) as client:
        yield client


def test_the_network_and_launch_estate_is_destroyed_in_order(sdk):
    account = sdk.whoami()
    plan = sdk.plan(types=TYPES, accounts=[account])
    found = Counter(r.type_key for r in plan.targets)
    assert found == {
        "ec2:vpc-peering-connection": 1,
        "ec2:transit-gateway": 1,
        "ec2:transit-gateway-attachment": 1,  # the VPC attachment; the VPN's goes with its connection
        "ec2:vpn-connection": 2,
        "ec2:vpn-gateway": 1,
        "ec2:customer-gateway": 1,
        "ec2:launch-template": 1,
        "autoscaling:launch-configuration": 1,
        "autoscaling:group": 2,
        "ec2:instance": 3,
    }
    result = sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok, result.task_reasons
    assert result.deleted == len(plan.targets)
    assert sdk.plan(types=TYPES, accounts=[account]).targets == []
    assert sdk.api_calls["autoscaling:DeleteAutoScalingGroup"] == 2
    assert sdk.api_calls["ec2:DetachVpnGateway"] == 1
    # the group's ForceDelete ended its instances: no TerminateInstances of its own
    assert sdk.api_calls.get("ec2:TerminateInstances", 0) == 0
