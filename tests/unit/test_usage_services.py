"""The price dimensions of the non-EC2 types, read from hand-built resources (no AWS call)."""

from __future__ import annotations

from typing import Any

import pytest

from costzero.domain.costing import CostPart
from costzero.domain.resources import Resource
from costzero.infrastructure.aws.handlers.cloudwatch_alarm import CloudWatchAlarmHandler, _pricing
from costzero.infrastructure.aws.handlers.dynamodb_table import DynamoDbTableHandler
from costzero.infrastructure.aws.handlers.ecs_service import EcsServiceHandler
from costzero.infrastructure.aws.handlers.eks_nodegroup import EksNodegroupHandler
from costzero.infrastructure.aws.handlers.kinesis_stream import KinesisStreamHandler
from costzero.infrastructure.aws.handlers.lambda_function import LambdaFunctionHandler
from costzero.infrastructure.aws.handlers.rds_db_cluster import RdsDbClusterHandler
from costzero.infrastructure.aws.handlers.rds_db_instance import RdsDbInstanceHandler
from costzero.infrastructure.aws.handlers.s3_bucket import S3BucketHandler
from costzero.infrastructure.aws.handlers.sagemaker_endpoint import SageMakerEndpointHandler
from costzero.infrastructure.aws.handlers.sagemaker_notebook_instance import (
    SageMakerNotebookInstanceHandler,
)

GIB = 2**30
STORAGE, COMPUTE = CostPart.STORAGE, CostPart.COMPUTE


class NoCalls:
    """usage() reads attributes only: any client request fails the test."""

    def client(self, account: str, region: str, service: str) -> Any:
        raise AssertionError(f"usage() asked for a {service} client")


def resource(type_key: str, **attributes: Any) -> Resource:
    return Resource(type_key, "r-1", "111122223333", "eu-west-1", attributes=attributes)


def dims(usages: Any) -> list[tuple[str, str, float | None, CostPart, bool]]:
    return [(u.usage_type, u.unit, u.quantity, u.part, u.monthly) for u in usages]


# -- S3 ---------------------------------------------------------------------------------------


def test_a_bucket_costs_its_storage_by_class_per_month():
    bucket = resource(
        "s3:bucket",
        storage_bytes={
            "StandardStorage": 50 * GIB,
            "StandardIAStorage": 10 * GIB,
            "StandardIASizeOverhead": 1 * GIB,
            "GlacierStorage": 100 * GIB,
            "GlacierObjectOverhead": 2 * GIB,  # billed at the Glacier rate
            "GlacierS3ObjectOverhead": 0.5 * GIB,  # billed at the STANDARD rate
            "DeepArchiveStorage": 1000 * GIB,
        },
    )
    usages = S3BucketHandler(NoCalls()).usage(bucket)
    assert sorted(dims(usages)) == sorted(
        [
            ("TimedStorage-ByteHrs", "GB-Mo", 50.5, STORAGE, True),
            ("TimedStorage-SIA-ByteHrs", "GB-Mo", 10.0, STORAGE, True),
            ("TimedStorage-SIA-SmObjects", "GB-Mo", 1.0, STORAGE, True),
            ("TimedStorage-GlacierByteHrs", "GB-Mo", 102.0, STORAGE, True),
            ("TimedStorage-GDA-ByteHrs", "GB-Mo", 1000.0, STORAGE, True),
        ]
    )
    assert {u.service for u in usages} == {"AmazonS3"}


@pytest.mark.parametrize("sizes", [None, {}])
def test_a_bucket_without_a_published_size_is_unknown_not_zero(sizes):
    [usage] = S3BucketHandler(NoCalls()).usage(resource("s3:bucket", storage_bytes=sizes))
    assert (usage.usage_type, usage.quantity, usage.part) == ("TimedStorage-ByteHrs", None, STORAGE)
    assert "BucketSizeBytes" in usage.note


def test_a_storage_type_without_a_usage_type_keeps_its_name_and_stays_unpriced():
    [usage] = S3BucketHandler(NoCalls()).usage(resource("s3:bucket", storage_bytes={"NewStorage": GIB}))
    assert usage.usage_type == "BucketSizeBytes:NewStorage" and usage.quantity == 1.0


# -- RDS --------------------------------------------------------------------------------------


def db(status: str = "available", **overrides: Any) -> Resource:
    attributes: dict[str, Any] = {
        "cluster": None,
        "engine": "postgres",
        "instance_class": "db.t3.micro",
        "multi_az": False,
        "storage": {"type": "gp3", "gib": 20, "iops": 3000, "throughput": 125},
        "settings": {"status": status},
    }
    attributes.update(overrides)
    return resource("rds:db-instance", **attributes)


def test_a_db_instance_costs_its_hours_keyed_by_engine_and_its_storage():
    usages = RdsDbInstanceHandler(NoCalls()).usage(db())
    assert dims(usages) == [
        ("InstanceUsage:db.t3.micro@postgres", "Hrs", 1.0, COMPUTE, False),
        ("RDS:GP3-Storage", "GB-Mo", 20.0, STORAGE, True),  # 3,000 IOPS: the included baseline
    ]
    assert {u.service for u in usages} == {"AmazonRDS"}


def test_a_stopped_db_instance_bills_its_storage_only():
    usages = RdsDbInstanceHandler(NoCalls()).usage(
        db("stopped", storage={"type": "io1", "gib": 100, "iops": 1000})
    )
    assert dims(usages) == [
        ("RDS:PIOPS-Storage", "GB-Mo", 100.0, STORAGE, True),
        ("RDS:PIOPS", "IOPS-Mo", 1000.0, STORAGE, True),
    ]


def test_multi_az_instances_have_usage_types_of_their_own():
    storage = {"type": "gp3", "gib": 500, "iops": 15000, "throughput": 600}
    usages = RdsDbInstanceHandler(NoCalls()).usage(db(engine="mysql", multi_az=True, storage=storage))
    assert dims(usages) == [
        ("Multi-AZUsage:db.t3.micro@mysql", "Hrs", 1.0, COMPUTE, False),
        ("RDS:Multi-AZ-GP3-Storage", "GB-Mo", 500.0, STORAGE, True),
        ("RDS:Multi-AZ-GP3-PIOPS", "IOPS-Mo", 3000.0, STORAGE, True),  # above 12,000 from 400 GiB
        ("RDS:GP3-Throughput", "MiBps-Mo", 100.0, STORAGE, True),  # above 500 MiBps: not priced
    ]


def test_aurora_instances_bill_hours_only_their_storage_is_the_clusters():
    handler = RdsDbInstanceHandler(NoCalls())
    writer = db(
        engine="aurora-postgresql", cluster="main", instance_class="db.r6g.large", storage={"type": "aurora"}
    )
    assert dims(handler.usage(writer)) == [
        ("InstanceUsage:db.r6g.large@aurora-postgresql", "Hrs", 1.0, COMPUTE, False)
    ]
    optimized = db(
        engine="aurora-mysql", cluster="main", instance_class="db.r6g.large", storage={"type": "aurora-iopt1"}
    )
    assert handler.usage(optimized)[0].usage_type == "InstanceUsageIOOptimized:db.r6g.large@aurora-mysql"
    serverless = db(
        engine="aurora-mysql", cluster="main", instance_class="db.serverless", storage={"type": "aurora"}
    )
    [acus] = handler.usage(serverless)
    assert (acus.usage_type, acus.unit, acus.quantity) == ("Aurora:ServerlessV2Usage", "ACU-Hr", None)
    assert handler.usage(db("stopped", engine="aurora-mysql", cluster="main")) == ()


def test_licensed_engines_and_unknown_storage_stay_unknown():
    usages = RdsDbInstanceHandler(NoCalls()).usage(
        db(engine="sqlserver-se", multi_az=True, storage={"type": "magnetic-2", "gib": 20})
    )
    hours, storage = usages
    assert hours.usage_type == "Multi-AZUsage:db.t3.micro@sqlserver-se"  # no book row: unknown
    assert storage.quantity is None and storage.part is STORAGE


def test_sql_server_multi_az_storage_is_not_priced_as_another_engines():
    usages = RdsDbInstanceHandler(NoCalls()).usage(db(engine="sqlserver-ex", multi_az=True))
    assert usages[1].usage_type == "RDS:Mirror-GP3-Storage"


def cluster(**attributes: Any) -> Resource:
    return resource("rds:db-cluster", settings={"status": "available"}, **attributes)


def test_an_aurora_cluster_bills_the_storage_its_volume_uses():
    handler = RdsDbClusterHandler(NoCalls())
    standard = cluster(engine="aurora-postgresql", storage={"type": "aurora"}, volume_bytes=30 * GIB)
    assert dims(handler.usage(standard)) == [("Aurora:StorageUsage", "GB-Mo", 30.0, STORAGE, True)]
    optimized = cluster(engine="aurora-mysql", storage={"type": "aurora-iopt1"}, volume_bytes=None)
    [usage] = handler.usage(optimized)
    assert (usage.usage_type, usage.quantity) == ("Aurora:IO-OptimizedStorageUsage", None)  # unread: unknown


def test_a_multi_az_db_cluster_declares_its_storage_unpriced():
    [usage] = RdsDbClusterHandler(NoCalls()).usage(
        cluster(engine="postgres", storage={"type": "gp3", "gib": 100, "iops": 3000})
    )
    assert (usage.usage_type, usage.quantity, usage.part) == (
        "RDS:Multi-AZCluster-GP3-Storage",
        100.0,
        STORAGE,
    )


# -- DynamoDB ---------------------------------------------------------------------------------


def table(billing: str, table_class: str = "STANDARD", size: int | None = 3 * GIB) -> Resource:
    provisioned = billing == "PROVISIONED"
    settings = {
        "billing": billing,
        "capacity": [10, 5] if provisioned else None,
        "gsis": {"by-owner": [4, 2]} if provisioned else {},
        "scaling": [],
        "status": "ACTIVE",
    }
    return resource("dynamodb:table", settings=settings, size_bytes=size, table_class=table_class)


def test_a_provisioned_table_bills_table_and_index_capacity_and_storage():
    usages = DynamoDbTableHandler(NoCalls()).usage(table("PROVISIONED"))
    assert dims(usages) == [
        ("ReadCapacityUnit-Hrs", "ReadCapacityUnit-Hrs", 14.0, COMPUTE, False),
        ("WriteCapacityUnit-Hrs", "WriteCapacityUnit-Hrs", 7.0, COMPUTE, False),
        ("TimedStorage-ByteHrs", "GB-Mo", 3.0, STORAGE, True),
    ]


def test_an_on_demand_table_declares_its_storage_only_requests_are_per_use():
    assert dims(DynamoDbTableHandler(NoCalls()).usage(table("PAY_PER_REQUEST", size=None))) == [
        ("TimedStorage-ByteHrs", "GB-Mo", None, STORAGE, True)
    ]


def test_the_infrequent_access_table_class_has_its_own_usage_types():
    usages = DynamoDbTableHandler(NoCalls()).usage(table("PROVISIONED", "STANDARD_INFREQUENT_ACCESS"))
    assert [u.usage_type for u in usages] == [
        "IA-ReadCapacityUnit-Hrs",
        "IA-WriteCapacityUnit-Hrs",
        "IA-TimedStorage-ByteHrs",
    ]


# -- Kinesis ----------------------------------------------------------------------------------


def stream(mode: str, shards: int, retention: int = 24) -> Resource:
    return resource("kinesis:stream", settings={"mode": mode, "shards": shards, "retention_hours": retention})


def test_a_provisioned_stream_keeps_one_shard_when_parked_the_others_are_compute():
    assert dims(KinesisStreamHandler(NoCalls()).usage(stream("PROVISIONED", 4))) == [
        ("Storage-ShardHour", "ShardHour", 1.0, STORAGE, False),
        ("Storage-ShardHour", "ShardHour", 3.0, COMPUTE, False),
    ]
    assert dims(KinesisStreamHandler(NoCalls()).usage(stream("PROVISIONED", 1))) == [
        ("Storage-ShardHour", "ShardHour", 1.0, STORAGE, False)
    ]


def test_extended_retention_adds_its_shard_hours():
    usages = KinesisStreamHandler(NoCalls()).usage(stream("PROVISIONED", 2, retention=168))
    assert [(u.usage_type, u.quantity, u.part) for u in usages] == [
        ("Storage-ShardHour", 1.0, STORAGE),
        ("Storage-ShardHour", 1.0, COMPUTE),
        ("Extended-ShardHour", 1.0, STORAGE),
        ("Extended-ShardHour", 1.0, COMPUTE),
    ]


def test_an_on_demand_stream_bills_its_stream_hour():
    [usage] = KinesisStreamHandler(NoCalls()).usage(stream("ON_DEMAND", 4))
    assert (usage.usage_type, usage.unit, usage.quantity, usage.part) == (
        "OnDemand-StreamHour",
        "StreamHour",
        1.0,
        COMPUTE,
    )


# -- Lambda -----------------------------------------------------------------------------------


def function(provisioned: list[dict[str, Any]], sizes: dict[str, Any]) -> Resource:
    settings = {"reserved": None, "enabled_mappings": [], "settling": [], "provisioned": provisioned}
    return resource("lambda:function", settings=settings, provisioned_sizes=sizes)


def test_provisioned_concurrency_is_gb_seconds_per_hour_by_architecture():
    usages = LambdaFunctionHandler(NoCalls()).usage(
        function(
            [{"qualifier": "live", "count": 5}, {"qualifier": "3", "count": 2}],
            {
                "live": {"memory_mb": 1024, "architecture": "x86_64"},
                "3": {"memory_mb": 512, "architecture": "arm64"},
            },
        )
    )
    assert dims(usages) == [
        ("Lambda-Provisioned-Concurrency", "Lambda-GB-Second", 5 * 1.0 * 3600, COMPUTE, False),
        ("Lambda-Provisioned-Concurrency-ARM", "Lambda-GB-Second", 2 * 0.5 * 3600, COMPUTE, False),
    ]
    assert {u.service for u in usages} == {"AWSLambda"}


def test_a_function_without_provisioned_concurrency_declares_nothing_and_says_why():
    handler = LambdaFunctionHandler(NoCalls())
    assert handler.usage(function([], {})) == ()
    assert "per request and duration" in str(handler.free_because)


def test_provisioned_concurrency_of_unreadable_memory_is_unknown():
    [usage] = LambdaFunctionHandler(NoCalls()).usage(
        function([{"qualifier": "live", "count": 5}], {"live": None})
    )
    assert usage.quantity is None


# -- SageMaker --------------------------------------------------------------------------------


def test_an_endpoint_bills_each_variants_instances():
    endpoint = resource(
        "sagemaker:endpoint",
        settings={"exists": True, "config": "c", "status": "InService", "tags": {}},
        variants=[
            {"name": "a", "instance_type": "ml.m5.large", "count": 2, "serverless": False},
            {"name": "b", "instance_type": None, "count": None, "serverless": True},
        ],
    )
    usages = SageMakerEndpointHandler(NoCalls()).usage(endpoint)
    assert dims(usages) == [("Host:ml.m5.large", "Hrs", 2.0, COMPUTE, False)]
    assert {u.service for u in usages} == {"AmazonSageMaker"}


def test_a_failed_or_serverless_endpoint_runs_no_instances():
    handler = SageMakerEndpointHandler(NoCalls())
    failed = resource("sagemaker:endpoint", settings={"status": "Failed"}, variants=[])
    assert handler.usage(failed) == () and handler.free_because


def test_a_notebook_bills_hours_while_it_runs_and_its_volume_always():
    handler = SageMakerNotebookInstanceHandler(NoCalls())
    running = resource(
        "sagemaker:notebook-instance",
        settings={"status": "InService"},
        instance_type="ml.t3.medium",
        volume_gb=5,
    )
    assert dims(handler.usage(running)) == [
        ("Notebk:ml.t3.medium", "Hrs", 1.0, COMPUTE, False),
        ("Notebk:VolumeUsage.gp2", "GB-Mo", 5.0, STORAGE, True),
    ]
    stopped = resource(
        "sagemaker:notebook-instance",
        settings={"status": "Stopped"},
        instance_type="ml.t3.medium",
        volume_gb=None,
    )
    assert dims(handler.usage(stopped)) == [("Notebk:VolumeUsage.gp2", "GB-Mo", None, STORAGE, True)]


# -- ECS, EKS ---------------------------------------------------------------------------------


def service(launch: str | None, desired: int = 3, **task: Any) -> Resource:
    size = {
        "cpu_units": 512,
        "memory_mib": 2048,
        "architecture": "X86_64",
        "os": "LINUX",
        "ephemeral_gib": None,
    }
    size.update(task)
    return resource("ecs:service", cluster="c", settings={"desired": desired}, launch=launch, task=size)


def test_a_fargate_service_bills_vcpu_and_memory_hours_of_its_desired_tasks():
    usages = EcsServiceHandler(NoCalls()).usage(service("FARGATE"))
    assert dims(usages) == [
        ("Fargate-vCPU-Hours:perCPU", "hours", 1.5, COMPUTE, False),
        ("Fargate-GB-Hours", "hours", 6.0, COMPUTE, False),
    ]
    assert {u.service for u in usages} == {"AmazonECS"}
    arm = EcsServiceHandler(NoCalls()).usage(service("FARGATE", architecture="ARM64", ephemeral_gib=50))
    assert [(u.usage_type, u.quantity) for u in arm] == [
        ("Fargate-ARM-vCPU-Hours:perCPU", 1.5),
        ("Fargate-ARM-GB-Hours", 6.0),
        ("Fargate-EphemeralStorage-GB-Hours", 90.0),
    ]
    assert [u.quantity for u in EcsServiceHandler(NoCalls()).usage(service("FARGATE", desired=0))] == [
        0.0,
        0.0,
    ]


def test_windows_fargate_adds_its_license_and_spot_is_not_on_demand():
    windows = EcsServiceHandler(NoCalls()).usage(service("FARGATE", os="WINDOWS_SERVER_2022_CORE"))
    assert [u.usage_type for u in windows] == [
        "Fargate-Windows-vCPU-Hours:perCPU",
        "Fargate-Windows-GB-Hours",
        "Fargate-Windows-OS-Hours:perCPU",
    ]
    spot = EcsServiceHandler(NoCalls()).usage(service("FARGATE_SPOT"))
    assert [u.usage_type for u in spot] == [
        "SpotUsage-Fargate-vCPU-Hours:perCPU",
        "SpotUsage-Fargate-GB-Hours",
    ]


def test_an_ec2_launch_type_service_runs_on_instances_priced_as_ec2_instance():
    assert EcsServiceHandler(NoCalls()).usage(service("EC2")) == ()
    assert EcsServiceHandler(NoCalls()).usage(service("EXTERNAL")) == ()


def test_an_unreadable_task_definition_is_unknown():
    usages = EcsServiceHandler(NoCalls()).usage(service("FARGATE", cpu_units=None, memory_mib=None))
    assert [u.quantity for u in usages] == [None, None]


def test_a_node_group_is_billed_as_its_instances():
    handler = EksNodegroupHandler(NoCalls())
    assert handler.usage(resource("eks:nodegroup")) == ()
    assert handler.free_because == "billed as its EC2 instances (ec2:instance)"


# -- CloudWatch alarms ------------------------------------------------------------------------


def test_an_alarm_bills_its_metrics_per_month_whatever_its_actions():
    handler = CloudWatchAlarmHandler(NoCalls())
    standard = resource("cloudwatch:alarm", pricing={"metrics": 1, "high_resolution": False})
    assert dims(handler.usage(standard)) == [("CW:AlarmMonitorUsage", "Alarms", 1.0, STORAGE, True)]
    high = resource("cloudwatch:alarm", pricing={"metrics": 2, "high_resolution": True})
    assert dims(handler.usage(high)) == [("CW:HighResAlarmMonitorUsage", "Alarms", 2.0, STORAGE, True)]
    insights = resource(
        "cloudwatch:alarm", pricing={"metrics": None, "high_resolution": False, "insights": True}
    )
    [usage] = handler.usage(insights)
    assert (usage.usage_type, usage.quantity) == ("CW:MetricInsightAlarmUsage", None)


def stat(query_id: str, period: int = 60) -> dict[str, Any]:
    metric = {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Dimensions": []}
    return {
        "Id": query_id,
        "MetricStat": {"Metric": metric, "Period": period, "Stat": "Average"},
        "ReturnData": False,
    }


@pytest.mark.parametrize(
    ("alarm", "expected"),
    [
        ({"MetricName": "CPUUtilization", "Period": 300}, {"metrics": 1, "high_resolution": False}),
        ({"MetricName": "CPUUtilization", "Period": 10}, {"metrics": 1, "high_resolution": True}),
        (  # metric math: each metric the expression references
            {"Metrics": [stat("a"), stat("b"), {"Id": "e", "Expression": "a + b", "ReturnData": True}]},
            {"metrics": 2, "high_resolution": False},
        ),
        (  # anomaly detection: the metric and the two bands of its model
            {
                "Metrics": [stat("m"), {"Id": "ad", "Expression": "ANOMALY_DETECTION_BAND(m, 2)"}],
                "ThresholdMetricId": "ad",
            },
            {"metrics": 3, "high_resolution": False},
        ),
        (
            {
                "Metrics": [
                    {
                        "Id": "q",
                        "Expression": 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2")',
                        "Period": 60,
                    }
                ]
            },
            {"metrics": None, "high_resolution": False, "insights": True},
        ),
        ({"Metrics": [stat("a", period=30)]}, {"metrics": 1, "high_resolution": True}),
    ],
)
def test_what_an_alarm_is_billed_for_is_read_from_its_description(alarm, expected):
    assert _pricing(alarm) == expected


def test_a_service_of_unknown_launch_type_is_unknown_not_free():
    [usage] = EcsServiceHandler(NoCalls()).usage(service(None))
    assert usage.quantity is None
    assert "ec2:instance" in str(EcsServiceHandler(NoCalls()).free_because)
