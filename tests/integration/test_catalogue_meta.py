"""The catalogue's declarations checked against what discovery really does, for every registered type
(moto server over HTTP): a type says it is taggable iff discovery returns a resource's tag, and each
parkable type's discovered settings satisfy the schema a state file is checked against."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from costzero.domain.pricing import usage_type_key
from costzero.domain.resources import GLOBAL_REGION, Action, Location
from costzero.infrastructure.aws.handlers import HANDLER_TYPES, AwsHandler
from costzero.infrastructure.aws.settings_schemas import SETTINGS_SCHEMAS, settings_problem
from tests.integration.conftest import REGION
from tests.integration.park_fixtures import make_function, seed_alarm, seed_group, seed_nodegroup

KEY, VALUE = "costzero-meta", "yes"
TAG = [{"Key": KEY, "Value": VALUE}]
ROLE = "arn:aws:iam::123456789012:role/meta"


def _ec2_spec(kind: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": TAG}]


def _instance(seed: Any) -> str:
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    return str(ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"])


def _tagged(seed: Any, resource_id: str) -> str:
    seed("ec2").create_tags(Resources=[resource_id], Tags=TAG)
    return resource_id


def _volume(seed: Any) -> str:
    return str(seed("ec2").create_volume(Size=1, AvailabilityZone="us-east-1a")["VolumeId"])


def _snapshot(seed: Any) -> str:
    return _tagged(seed, seed("ec2").create_snapshot(VolumeId=_volume(seed))["SnapshotId"])


def _image(seed: Any) -> str:
    return _tagged(seed, seed("ec2").create_image(InstanceId=_instance(seed), Name="meta")["ImageId"])


def _security_group(seed: Any) -> str:
    ec2 = seed("ec2")
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    return str(
        ec2.create_security_group(
            GroupName="meta", Description="meta", VpcId=vpc, TagSpecifications=_ec2_spec("security-group")
        )["GroupId"]
    )


def _bucket(seed: Any) -> str:
    s3 = seed("s3")
    s3.create_bucket(Bucket="meta-bucket")
    s3.put_bucket_tagging(Bucket="meta-bucket", Tagging={"TagSet": TAG})
    return "meta-bucket"


def _environment(seed: Any) -> str:
    eb = seed("elasticbeanstalk")
    eb.create_application(ApplicationName="meta")
    eb.create_environment(
        ApplicationName="meta",
        EnvironmentName="meta-env",
        SolutionStackName="64bit Amazon Linux 2023 v4.0.0 running Python 3.11",
        Tags=TAG,
    )
    return "meta-env"


def _application(seed: Any) -> str:
    seed("elasticbeanstalk").create_application(ApplicationName="meta-app", Tags=TAG)
    return "meta-app"


def _group(seed: Any) -> str:
    seed_group(seed, "meta-asg", 1, 1, 2, [])
    seed("autoscaling").create_or_update_tags(
        Tags=[
            {
                "ResourceId": "meta-asg",
                "ResourceType": "auto-scaling-group",
                "Key": KEY,
                "Value": VALUE,
                "PropagateAtLaunch": False,
            }
        ]
    )
    return "meta-asg"


def _alarm(seed: Any) -> str:
    seed_alarm(seed, "meta-alarm", enabled=True)
    cloudwatch = seed("cloudwatch")
    arn = cloudwatch.describe_alarms(AlarmNames=["meta-alarm"])["MetricAlarms"][0]["AlarmArn"]
    cloudwatch.tag_resource(ResourceARN=arn, Tags=TAG)
    return "meta-alarm"


def _function(seed: Any) -> str:
    make_function(seed, "meta-fn", reserved=3, tags={KEY: VALUE})
    return "meta-fn"


def _stream(seed: Any) -> str:
    kinesis = seed("kinesis")
    kinesis.create_stream(StreamName="meta-stream", ShardCount=2)
    kinesis.add_tags_to_stream(StreamName="meta-stream", Tags={KEY: VALUE})
    return "meta-stream"


def _table(seed: Any) -> str:
    seed("dynamodb").create_table(
        TableName="meta-table",
        BillingMode="PROVISIONED",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 1},
        Tags=TAG,
    )
    return "meta-table"


def _service(seed: Any) -> str:
    ecs = seed("ecs")
    ecs.create_cluster(clusterName="meta")
    ecs.register_task_definition(
        family="meta", containerDefinitions=[{"name": "meta", "image": "nginx", "memory": 128}]
    )
    ecs.create_service(
        cluster="meta",
        serviceName="meta-svc",
        taskDefinition="meta",
        desiredCount=1,
        tags=[{"key": KEY, "value": VALUE}],
    )
    return "meta-svc"


def _db_instance(seed: Any) -> str:
    seed("rds").create_db_instance(
        DBInstanceIdentifier="meta-db",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="app",
        MasterUserPassword="secret-123",
        Tags=TAG,
    )
    return "meta-db"


def _db_cluster(seed: Any) -> str:
    seed("rds").create_db_cluster(
        DBClusterIdentifier="meta-cluster",
        Engine="aurora-postgresql",
        MasterUsername="app",
        MasterUserPassword="secret-123",
        Tags=TAG,
    )
    return "meta-cluster"


def _endpoint(seed: Any) -> str:
    sagemaker = seed("sagemaker")
    sagemaker.create_model(
        ModelName="meta", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "1.dkr.ecr/meta:1"}
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="meta-config",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "meta",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName="meta-endpoint", EndpointConfigName="meta-config", Tags=TAG)
    return "meta-endpoint"


def _notebook(seed: Any) -> str:
    seed("sagemaker").create_notebook_instance(
        NotebookInstanceName="meta-nb", InstanceType="ml.t3.medium", RoleArn=ROLE, Tags=TAG
    )
    return "meta-nb"


def _nodegroup(seed: Any) -> str:
    seed_nodegroup(seed, "meta-ng", 1, 2, 3, tags={KEY: VALUE})
    return "meta-ng"


TRUST = '{"Version": "2012-10-17", "Statement": []}'
DOCUMENT = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'


def _role(seed: Any) -> str:
    seed("iam").create_role(RoleName="meta-role", AssumeRolePolicyDocument=TRUST, Tags=TAG)
    return "meta-role"


def _instance_profile(seed: Any) -> str:
    seed("iam").create_instance_profile(InstanceProfileName="meta-profile", Tags=TAG)
    return "meta-profile"


def _policy(seed: Any) -> str:
    seed("iam").create_policy(PolicyName="meta-policy", PolicyDocument=DOCUMENT, Tags=TAG)
    return "meta-policy"


def _user(seed: Any) -> str:
    seed("iam").create_user(UserName="meta-user", Tags=TAG)
    return "meta-user"


def _secret(seed: Any) -> str:
    seed("secretsmanager").create_secret(Name="meta-secret", SecretString="x", Tags=TAG)
    return "meta-secret"


def _kms_key(seed: Any) -> str:
    return str(seed("kms").create_key(Tags=[{"TagKey": KEY, "TagValue": VALUE}])["KeyMetadata"]["KeyId"])


def _hosted_zone(seed: Any) -> str:
    route53 = seed("route53")
    raw = route53.create_hosted_zone(Name="meta.example.com.", CallerReference="meta")["HostedZone"]["Id"]
    zone_id = str(raw).rsplit("/", 1)[-1]
    route53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id, AddTags=TAG)
    return zone_id


def _distribution(seed: Any) -> str:
    from tests.integration.test_handler_cloudfront_distribution import create

    return str(create(seed("cloudfront"), "meta", tags=TAG))


def _stack(seed: Any) -> str:
    template = '{"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}}}'
    seed("cloudformation").create_stack(StackName="meta-stack", TemplateBody=template, Tags=TAG)
    return "meta-stack"


def _origin_access_identity(seed: Any) -> str:
    config = {"CallerReference": "meta", "Comment": "meta"}
    reply = seed("cloudfront").create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig=config
    )
    return str(reply["CloudFrontOriginAccessIdentity"]["Id"])


SEEDERS: dict[str, Callable[[Any], str]] = {
    "ec2:instance": lambda seed: _tagged(seed, _instance(seed)),
    "ec2:volume": lambda seed: _tagged(seed, _volume(seed)),
    "ec2:snapshot": _snapshot,
    "ec2:image": _image,
    "ec2:elastic-ip": lambda seed: _tagged(seed, seed("ec2").allocate_address(Domain="vpc")["AllocationId"]),
    "ec2:security-group": _security_group,
    "ec2:key-pair": lambda seed: str(
        seed("ec2").create_key_pair(KeyName="meta", TagSpecifications=_ec2_spec("key-pair"))["KeyName"]
    ),
    "s3:bucket": _bucket,
    "elasticbeanstalk:environment": _environment,
    "elasticbeanstalk:application": _application,
    "autoscaling:group": _group,
    "cloudwatch:alarm": _alarm,
    "lambda:function": _function,
    "kinesis:stream": _stream,
    "dynamodb:table": _table,
    "ecs:service": _service,
    "rds:db-instance": _db_instance,
    "rds:db-cluster": _db_cluster,
    "sagemaker:endpoint": _endpoint,
    "sagemaker:notebook-instance": _notebook,
    "eks:nodegroup": _nodegroup,
    "iam:role": _role,
    "iam:instance-profile": _instance_profile,
    "iam:policy": _policy,
    "iam:user": _user,
    "secretsmanager:secret": _secret,
    "kms:key": _kms_key,
    "route53:hosted-zone": _hosted_zone,
    "cloudformation:stack": _stack,
    "cloudfront:distribution": _distribution,
    "cloudfront:origin-access-identity": _origin_access_identity,
}
HANDLERS = {handler_type.spec.key: handler_type for handler_type in HANDLER_TYPES}


def test_every_registered_type_has_a_seeder_and_every_parkable_type_a_settings_schema():
    assert set(SEEDERS) == set(HANDLERS)
    parkable = {key for key, handler in HANDLERS.items() if Action.STOP in handler.spec.actions}
    assert set(SETTINGS_SCHEMAS) == parkable


@pytest.mark.parametrize("type_key", sorted(HANDLERS))
def test_taggable_is_true_iff_discovery_returns_the_tag(type_key, aws, account, seed):
    seeded = SEEDERS[type_key](seed)
    handler = HANDLERS[type_key](aws)
    location = Location(account, GLOBAL_REGION if handler.spec.is_global else REGION)
    [found] = [r for r in handler.discover(location, [REGION]) if seeded in (r.id, r.name)]
    carries = found.tags is not None and found.tags.get(KEY) == VALUE
    assert handler.spec.taggable is carries, (type_key, found.tags)
    assert found.tags is not None  # a type without tags returns an empty mapping, not None
    if type_key in SETTINGS_SCHEMAS:
        assert settings_problem(type_key, found.attributes["settings"]) is None, found.attributes


class _NoCalls:
    """A client source that fails the test on any call: pricing reads attributes only."""

    def client(self, account: str, region: str, service: str) -> Any:
        raise AssertionError(f"usage() asked for a {service} client: it must read attributes only")


@pytest.mark.parametrize("type_key", sorted(HANDLERS))
def test_every_type_declares_what_it_costs_or_why_it_is_free(type_key, aws, account, seed):
    """A discovered resource of each type has priced dimensions, or its type says why it has none;
    declared dimensions are well formed, and reading them makes no API call."""
    seeded = SEEDERS[type_key](seed)
    handler_type = HANDLERS[type_key]
    location = Location(account, GLOBAL_REGION if handler_type.spec.is_global else REGION)
    [found] = [r for r in handler_type(aws).discover(location, [REGION]) if seeded in (r.id, r.name)]
    usages = handler_type(_NoCalls()).usage(found)
    declares = handler_type.usage is not AwsHandler.usage
    assert declares or handler_type.free_because, f"{type_key}: no usage() and no free_because"
    for usage in usages:
        assert usage.service and usage.usage_type and usage.unit, (type_key, usage)
        assert usage.usage_type == usage_type_key(usage.usage_type), "usage types carry no region prefix"
        assert usage.quantity is None or usage.quantity >= 0, (type_key, usage)
