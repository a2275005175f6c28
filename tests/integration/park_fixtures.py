"""Seeding helpers for the parking tests: varied settings for every parkable type."""

from __future__ import annotations

import io
import zipfile
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


def make_function(
    seed: Any, name: str, reserved: int | None = None, tags: dict[str, str] | None = None
) -> None:
    iam, lam = seed("iam"), seed("lambda")
    try:
        role = iam.get_role(RoleName="fn")["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("h.py", "def h(event, context):\n    return None\n")
    lam.create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role=role,
        Handler="h.h",
        Code={"ZipFile": code.getvalue()},
        Tags=tags or {},
    )
    if reserved is not None:
        lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=reserved)
