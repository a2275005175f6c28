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


def _vpc_and_subnet(seed: Any, cidr: str = "10.40.0.0/16") -> tuple[str, str]:
    ec2 = seed("ec2")
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr.replace("0.0/16", "1.0/24"))["Subnet"]["SubnetId"]
    return str(vpc), str(subnet)


def _peering(seed: Any) -> str:
    ec2 = seed("ec2")
    (one, _), (two, _) = _vpc_and_subnet(seed), _vpc_and_subnet(seed, "10.41.0.0/16")
    spec = _ec2_spec("vpc-peering-connection")
    return str(
        ec2.create_vpc_peering_connection(VpcId=one, PeerVpcId=two, TagSpecifications=spec)[
            "VpcPeeringConnection"
        ]["VpcPeeringConnectionId"]
    )


def _transit_gateway(seed: Any) -> str:
    spec = _ec2_spec("transit-gateway")
    return str(
        seed("ec2").create_transit_gateway(TagSpecifications=spec)["TransitGateway"]["TransitGatewayId"]
    )


def _transit_gateway_attachment(seed: Any) -> str:
    vpc, subnet = _vpc_and_subnet(seed)
    gateway = seed("ec2").create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    attachment = seed("ec2").create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[subnet]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    return _tagged(seed, attachment)  # moto drops the attachment's TagSpecifications (reads another type's)


def _customer_gateway(seed: Any) -> str:
    return str(
        seed("ec2").create_customer_gateway(
            BgpAsn=65000,
            PublicIp="198.51.100.7",
            Type="ipsec.1",
            TagSpecifications=_ec2_spec("customer-gateway"),
        )["CustomerGateway"]["CustomerGatewayId"]
    )


def _vpn_gateway(seed: Any) -> str:
    return str(
        seed("ec2").create_vpn_gateway(Type="ipsec.1", TagSpecifications=_ec2_spec("vpn-gateway"))[
            "VpnGateway"
        ]["VpnGatewayId"]
    )


def _vpn_connection(seed: Any) -> str:
    customer = seed("ec2").create_customer_gateway(BgpAsn=65000, PublicIp="198.51.100.8", Type="ipsec.1")
    return str(
        seed("ec2").create_vpn_connection(
            CustomerGatewayId=customer["CustomerGateway"]["CustomerGatewayId"],
            Type="ipsec.1",
            VpnGatewayId=seed("ec2").create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"],
            TagSpecifications=_ec2_spec("vpn-connection"),
        )["VpnConnection"]["VpnConnectionId"]
    )


def _launch_template(seed: Any) -> str:
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    return str(
        ec2.create_launch_template(
            LaunchTemplateName="meta-lt",
            LaunchTemplateData={"ImageId": image, "InstanceType": "t3.micro"},
            TagSpecifications=_ec2_spec("launch-template"),
        )["LaunchTemplate"]["LaunchTemplateId"]
    )


def _launch_configuration(seed: Any) -> str:
    image = seed("ec2").describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    seed("autoscaling").create_launch_configuration(
        LaunchConfigurationName="meta-lc", ImageId=image, InstanceType="t3.micro"
    )
    return "meta-lc"


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
    "ec2:vpc-peering-connection": _peering,
    "ec2:transit-gateway": _transit_gateway,
    "ec2:transit-gateway-attachment": _transit_gateway_attachment,
    "ec2:vpn-connection": _vpn_connection,
    "ec2:vpn-gateway": _vpn_gateway,
    "ec2:customer-gateway": _customer_gateway,
    "ec2:launch-template": _launch_template,
    "autoscaling:launch-configuration": _launch_configuration,
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
