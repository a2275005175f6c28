"""Seeding helpers for the parking tests: varied settings for every parkable type."""

from __future__ import annotations

import io
import zipfile
from typing import Any

LAUNCH_TEMPLATE = "park-lt"


PUBLIC_IMAGE = [{"Name": "name", "Values": ["amzn2-ami-hvm-2.0.*"]}]  # one, not all of moto's


def seed_instances(seed: Any, count: int = 2) -> list[str]:
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"], Filters=PUBLIC_IMAGE)["Images"][0]["ImageId"]
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


def add_mapping(seed: Any, function: str, enabled: bool) -> str:
    """An SQS event source mapping of `function`, on or off; one queue per (function, state)."""
    sqs = seed("sqs")
    queue = sqs.create_queue(QueueName=f"{function}-{enabled}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return str(
        seed("lambda").create_event_source_mapping(
            EventSourceArn=arn, FunctionName=function, Enabled=enabled
        )["UUID"]
    )


def seed_table(seed: Any, name: str) -> None:
    """A provisioned table with a GSI and a read-capacity auto-scaling target and policy."""
    seed("dynamodb").create_table(
        TableName=name,
        BillingMode="PROVISIONED",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "gk", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 3},
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-gk",
                "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 4, "WriteCapacityUnits": 2},
            }
        ],
    )
    scaling = seed("application-autoscaling")
    scaling.register_scalable_target(
        ServiceNamespace="dynamodb",
        ResourceId=f"table/{name}",
        ScalableDimension="dynamodb:table:ReadCapacityUnits",
        MinCapacity=5,
        MaxCapacity=50,
    )
    scaling.put_scaling_policy(
        PolicyName="reads",
        ServiceNamespace="dynamodb",
        ResourceId=f"table/{name}",
        ScalableDimension="dynamodb:table:ReadCapacityUnits",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 70.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"},
        },
    )


def create_postgres(rds: Any, name: str) -> None:
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="app",
        MasterUserPassword="secret-123",
    )


def seed_stream(seed: Any, name: str, shards: int | None) -> None:
    """A provisioned stream with `shards` shards, or an on-demand one (None)."""
    if shards is None:
        seed("kinesis").create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    else:
        seed("kinesis").create_stream(StreamName=name, ShardCount=shards)


def seed_service(seed: Any, name: str, desired: int) -> None:
    ecs = seed("ecs")
    ecs.create_cluster(clusterName="apps")  # idempotent
    if not ecs.list_task_definitions(familyPrefix="web")["taskDefinitionArns"]:
        ecs.register_task_definition(
            family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
        )
    ecs.create_service(cluster="apps", serviceName=name, taskDefinition="web", desiredCount=desired)


def seed_nodegroup(
    seed: Any, name: str, min_size: int, desired: int, max_size: int, tags: dict[str, str] | None = None
) -> None:
    eks = seed("eks")
    role = "arn:aws:iam::123456789012:role/eks"
    if "prod" not in eks.list_clusters()["clusters"]:
        eks.create_cluster(name="prod", roleArn=role, resourcesVpcConfig={"subnetIds": ["subnet-1"]})
    eks.create_nodegroup(
        clusterName="prod",
        nodegroupName=name,
        nodeRole=role,
        subnets=["subnet-1"],
        scalingConfig={"minSize": min_size, "maxSize": max_size, "desiredSize": desired},
        tags=tags or {},
    )


def seed_db_cluster(seed: Any, name: str) -> None:
    """An Aurora cluster with one member instance (the member is the cluster's to park)."""
    rds = seed("rds")
    rds.create_db_cluster(
        DBClusterIdentifier=name,
        Engine="aurora-postgresql",
        MasterUsername="app",
        MasterUserPassword="secret-123",
    )
    rds.create_db_instance(
        DBInstanceIdentifier=f"{name}-1",
        DBClusterIdentifier=name,
        Engine="aurora-postgresql",
        DBInstanceClass="db.r6g.large",
    )


def seed_endpoint(seed: Any, name: str) -> None:
    """A SageMaker endpoint with its own model and config, tagged (start must put the tags back)."""
    sagemaker = seed("sagemaker")
    sagemaker.create_model(
        ModelName=name,
        ExecutionRoleArn="arn:aws:iam::123456789012:role/sagemaker",
        PrimaryContainer={"Image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}:1"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName=f"{name}-config",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": name,
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(
        EndpointName=name, EndpointConfigName=f"{name}-config", Tags=[{"Key": "team", "Value": "ml"}]
    )


def seed_notebook(seed: Any, name: str) -> None:
    seed("sagemaker").create_notebook_instance(
        NotebookInstanceName=name,
        InstanceType="ml.t3.medium",
        RoleArn="arn:aws:iam::123456789012:role/sagemaker",
    )
