"""Seeding helpers for the parking tests: varied settings for every parkable type."""

from __future__ import annotations

from typing import Any

LAUNCH_TEMPLATE = "park-lt"


def seed_instances(seed: Any, count: int = 2) -> list[str]:
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    reply = ec2.run_instances(ImageId=image, MinCount=count, MaxCount=count, InstanceType="t3.micro")
    return [i["InstanceId"] for i in reply["Instances"]]


def seed_group(
    seed: Any, name: str, min_size: int, desired: int, max_size: int, suspended: list[str]
) -> None:
    ec2, autoscaling = seed("ec2"), seed("autoscaling")
    if not ec2.describe_launch_templates()["LaunchTemplates"]:
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        ec2.create_launch_template(
            LaunchTemplateName=LAUNCH_TEMPLATE,
            LaunchTemplateData={"ImageId": image, "InstanceType": "t3.micro"},
        )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=min_size,
        MaxSize=max_size,
        DesiredCapacity=desired,
        LaunchTemplate={"LaunchTemplateName": LAUNCH_TEMPLATE},
        AvailabilityZones=["us-east-1a"],
    )
    if suspended:
        autoscaling.suspend_processes(AutoScalingGroupName=name, ScalingProcesses=suspended)


def seed_alarm(seed: Any, name: str, enabled: bool) -> None:
    seed("cloudwatch").put_metric_alarm(
        AlarmName=name,
        MetricName="CPUUtilization",
        Namespace="AWS/EC2",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold",
        ActionsEnabled=enabled,
        AlarmActions=["arn:aws:sns:us-east-1:123456789012:ops"],
    )
