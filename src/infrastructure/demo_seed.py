"""Seeds a sample account on an embedded moto server with every resource type costzero knows."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

DEMO_REGIONS = ("us-east-1", "eu-west-1")


def _client(service: str, region: str, endpoint_url: str) -> Any:
    return boto3.client(service, region_name=region, endpoint_url=endpoint_url)  # type: ignore[call-overload]


def _tags(resource_type: str, **tags: str) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def seed_region(endpoint_url: str, region: str, scale: int = 1, prefix: str = "demo") -> Counter[str]:
    """Create a small estate in one region; `scale` multiplies the counts. Returns counts per type."""
    ec2 = _client("ec2", region, endpoint_url)
    counts: Counter[str] = Counter()
    # a Linux image, as most estates run (moto lists Windows images first; their hours are not
    # priced from the Linux BoxUsage rows, so a demo of them would show every instance unknown)
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    image_id = next(i for i in images if i.get("Platform") != "windows")["ImageId"]
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]

    for i in range(2 * scale):
        ec2.create_key_pair(
            KeyName=f"{prefix}-{region}-key-{i}", TagSpecifications=_tags("key-pair", team="demo")
        )
        counts["ec2:key-pair"] += 1

    instances = ec2.run_instances(
        ImageId=image_id,
        MinCount=4 * scale,
        MaxCount=4 * scale,
        InstanceType="t3.micro",
        TagSpecifications=_tags("instance", Name=f"{prefix}-web", team="demo"),
    )["Instances"]
    instance_ids = [i["InstanceId"] for i in instances]
    counts["ec2:instance"] += len(instance_ids)
    zone = instances[0]["Placement"]["AvailabilityZone"]

    for n, instance_id in enumerate(instance_ids[: 2 * scale]):
        volume = ec2.create_volume(
            Size=8, AvailabilityZone=zone, TagSpecifications=_tags("volume", team="demo")
        )
        ec2.attach_volume(
            VolumeId=volume["VolumeId"], InstanceId=instance_id, Device=f"/dev/sd{'fghij'[n % 5]}"
        )
        counts["ec2:volume"] += 1
    for _ in range(2 * scale):
        volume = ec2.create_volume(
            Size=20, AvailabilityZone=zone, TagSpecifications=_tags("volume", team="demo")
        )
        counts["ec2:volume"] += 1
        ec2.create_snapshot(VolumeId=volume["VolumeId"], Description="nightly backup")
        counts["ec2:snapshot"] += 1

    for n in range(scale):
        image = ec2.create_image(InstanceId=instance_ids[n], Name=f"{prefix}-{region}-ami-{n}")
        counts["ec2:image"] += 1
        described = ec2.describe_images(ImageIds=[image["ImageId"]])["Images"][0]
        counts["ec2:snapshot"] += sum(1 for m in described.get("BlockDeviceMappings", []) if "Ebs" in m)

    for n in range(2 * scale):
        allocation = ec2.allocate_address(Domain="vpc")
        counts["ec2:elastic-ip"] += 1
        if n % 2 == 0:
            ec2.associate_address(
                AllocationId=allocation["AllocationId"], InstanceId=instance_ids[n % len(instance_ids)]
            )

    for n in range(scale):
        groups = [
            ec2.create_security_group(GroupName=f"{prefix}-{side}-{n}", Description=side, VpcId=vpc_id)[
                "GroupId"
            ]
            for side in ("app", "db", "cache")
        ]
        counts["ec2:security-group"] += len(groups)
        for this, other in ((groups[0], groups[1]), (groups[1], groups[0])):  # groups referencing each other
            ec2.authorize_security_group_ingress(
                GroupId=this,
                IpPermissions=[
                    {
                        "IpProtocol": "tcp",
                        "FromPort": 5432,
                        "ToPort": 5432,
                        "UserIdGroupPairs": [{"GroupId": other}],
                    }
                ],
            )

    # every instance also got a root volume, as on AWS: count what the region really holds
    counts["ec2:volume"] = len(ec2.describe_volumes()["Volumes"])

    beanstalk = _client("elasticbeanstalk", region, endpoint_url)
    for n in range(scale):
        application = f"{prefix}-{region}-app-{n}"
        beanstalk.create_application(ApplicationName=application)
        counts["elasticbeanstalk:application"] += 1
        for env in ("staging", "dev"):
            beanstalk.create_environment(
                ApplicationName=application,
                EnvironmentName=f"{prefix}-{n}-{env}-{region[:2]}",
                SolutionStackName="64bit Amazon Linux 2023 v4.0.0 running Python 3.11",
            )
            counts["elasticbeanstalk:environment"] += 1

    s3 = _client("s3", region, endpoint_url)
    for n in range(scale):
        bucket = f"{prefix}-{region}-data-{n}"
        if region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        for key in range(5):
            for version in range(2):
                s3.put_object(Bucket=bucket, Key=f"reports/{key}.csv", Body=f"v{version}".encode())
        s3.delete_object(Bucket=bucket, Key="reports/0.csv")  # leaves a delete marker
        stored = sum(len(f"v{version}") for _ in range(5) for version in range(2))  # every version
        publish_bucket_size(endpoint_url, region, bucket, stored)
        counts["s3:bucket"] += 1
    return counts


def publish_bucket_size(endpoint_url: str, region: str, bucket: str, size: float) -> None:
    """The daily BucketSizeBytes datapoint AWS publishes for every bucket with objects (moto
    publishes none), so that the demo's buckets have a size to price."""
    _client("cloudwatch", region, endpoint_url).put_metric_data(
        Namespace="AWS/S3",
        MetricData=[
            {
                "MetricName": "BucketSizeBytes",
                "Dimensions": [
                    {"Name": "BucketName", "Value": bucket},
                    {"Name": "StorageType", "Value": "StandardStorage"},
                ],
                "Timestamp": datetime.now(UTC) - timedelta(days=1),
                "Value": size,
                "Unit": "Bytes",
            }
        ],
    )


def seed_demo_account(
    endpoint_url: str, regions: tuple[str, ...] = DEMO_REGIONS, scale: int = 1
) -> Counter[str]:
    counts: Counter[str] = Counter()
    for region in regions:
        counts.update(seed_region(endpoint_url, region, scale))
    return counts


def seed_alarms(endpoint_url: str, region: str, count: int = 3) -> int:
    """CPU alarms with actions on (parkable, never destroyed): what `stop` turns off."""
    cloudwatch = _client("cloudwatch", region, endpoint_url)
    for n in range(count):
        cloudwatch.put_metric_alarm(
            AlarmName=f"demo-cpu-high-{n}",
            MetricName="CPUUtilization",
            Namespace="AWS/EC2",
            Statistic="Average",
            Period=300,
            EvaluationPeriods=2,
            Threshold=80.0,
            ComparisonOperator="GreaterThanThreshold",
            ActionsEnabled=True,
            AlarmActions=[f"arn:aws:sns:{region}:123456789012:ops"],
        )
    return count


def seed_network(endpoint_url: str, region: str, prefix: str = "demo") -> Counter[str]:
    """What a sandbox leaks money through: a VPC with two subnets, an internet gateway, a NAT
    gateway (with its Elastic IP), an application load balancer with a target group, and a small
    PostgreSQL database in a subnet group. Returns counts per type."""
    ec2 = _client("ec2", region, endpoint_url)
    counts: Counter[str] = Counter()
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16", TagSpecifications=_tags("vpc", Name=f"{prefix}-vpc"))[
        "Vpc"
    ]
    vpc_id = vpc["VpcId"]
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.42.{n}.0/24", AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for n, zone in enumerate(zones)
    ]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc_id)
    table = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    ec2.associate_route_table(RouteTableId=table, SubnetId=subnets[0])
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.create_nat_gateway(SubnetId=subnets[0], AllocationId=allocation)
    counts.update({"ec2:vpc": 1, "ec2:subnet": 2, "ec2:internet-gateway": 1, "ec2:route-table": 1})
    counts.update({"ec2:nat-gateway": 1, "ec2:elastic-ip": 1})
    group = ec2.create_security_group(GroupName=f"{prefix}-web", Description="web", VpcId=vpc_id)["GroupId"]
    elbv2 = _client("elbv2", region, endpoint_url)
    balancer = elbv2.create_load_balancer(Name=f"{prefix}-web", Subnets=subnets, SecurityGroups=[group])
    target = elbv2.create_target_group(Name=f"{prefix}-web", Protocol="HTTP", Port=80, VpcId=vpc_id)
    elbv2.create_listener(
        LoadBalancerArn=balancer["LoadBalancers"][0]["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target["TargetGroups"][0]["TargetGroupArn"]}],
    )
    counts.update({"ec2:security-group": 1, "elbv2:load-balancer": 1, "elbv2:target-group": 1})
    rds = _client("rds", region, endpoint_url)
    rds.create_db_subnet_group(
        DBSubnetGroupName=f"{prefix}-db", DBSubnetGroupDescription="db", SubnetIds=subnets
    )
    rds.create_db_instance(
        DBInstanceIdentifier=f"{prefix}-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="demo",
        MasterUserPassword="demo-password-1",
        DBSubnetGroupName=f"{prefix}-db",
        VpcSecurityGroupIds=[group],
    )
    counts.update({"rds:db-subnet-group": 1, "rds:db-instance": 1})
    return counts
