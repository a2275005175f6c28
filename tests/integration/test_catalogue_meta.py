"""The catalogue's declarations checked against what discovery really does, for every registered type
(moto server over HTTP): a type says it is taggable iff discovery returns a resource's tag, and each
parkable type's discovered settings satisfy the schema a state file is checked against."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from costzero.domain.pricing import usage_type_key
from costzero.domain.resources import GLOBAL_REGION, Action, Location
from costzero.infrastructure.aws.handlers import HANDLER_TYPES, AwsHandler
from costzero.infrastructure.aws.settings_schemas import SETTINGS_SCHEMAS, settings_problem
from tests.integration.conftest import REGION
from tests.integration.efs_fixtures import seed_access_point, seed_file_system, seed_mount_target
from tests.integration.elb_fixtures import load_balancer, subnets, target_group
from tests.integration.park_fixtures import add_mapping, make_function, seed_alarm, seed_group, seed_nodegroup

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


def _backup(seed: Any) -> str:
    _table(seed)
    return str(
        seed("dynamodb").create_backup(TableName="meta-table", BackupName="meta-backup")["BackupDetails"][
            "BackupArn"
        ]
    )


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


def _db_snapshot(seed: Any) -> str:
    _db_instance(seed)
    seed("rds").create_db_snapshot(DBInstanceIdentifier="meta-db", DBSnapshotIdentifier="meta-snap", Tags=TAG)
    return "meta-snap"


def _db_cluster_snapshot(seed: Any) -> str:
    _db_cluster(seed)
    seed("rds").create_db_cluster_snapshot(
        DBClusterIdentifier="meta-cluster", DBClusterSnapshotIdentifier="meta-csnap", Tags=TAG
    )
    return "meta-csnap"


def _subnet_group(seed: Any) -> str:
    subnets = [s["SubnetId"] for s in seed("ec2").describe_subnets()["Subnets"][:2]]
    seed("rds").create_db_subnet_group(
        DBSubnetGroupName="meta-subnets", DBSubnetGroupDescription="meta", SubnetIds=subnets, Tags=TAG
    )
    return "meta-subnets"


def _parameter_group(seed: Any) -> str:
    seed("rds").create_db_parameter_group(
        DBParameterGroupName="meta-params", DBParameterGroupFamily="postgres16", Description="meta", Tags=TAG
    )
    return "meta-params"


def _cluster_parameter_group(seed: Any) -> str:
    seed("rds").create_db_cluster_parameter_group(
        DBClusterParameterGroupName="meta-cparams",
        DBParameterGroupFamily="aurora-postgresql16",
        Description="meta",
        Tags=TAG,
    )
    return "meta-cparams"


def _option_group(seed: Any) -> str:
    seed("rds").create_option_group(
        OptionGroupName="meta-options",
        EngineName="mysql",
        MajorEngineVersion="8.0",
        OptionGroupDescription="meta",
        Tags=TAG,
    )
    return "meta-options"


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


def _endpoint_config(seed: Any) -> str:
    sagemaker = seed("sagemaker")
    sagemaker.create_model(
        ModelName="meta-m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "1.dkr.ecr/m:1"}
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="meta-cfg",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "meta-m",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
        Tags=TAG,
    )
    return "meta-cfg"


def _model(seed: Any) -> str:
    seed("sagemaker").create_model(
        ModelName="meta-model", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "1.dkr.ecr/m:1"}, Tags=TAG
    )
    return "meta-model"


def _notebook(seed: Any) -> str:
    seed("sagemaker").create_notebook_instance(
        NotebookInstanceName="meta-nb", InstanceType="ml.t3.medium", RoleArn=ROLE, Tags=TAG
    )
    return "meta-nb"


def _nodegroup(seed: Any) -> str:
    seed_nodegroup(seed, "meta-ng", 1, 2, 3, tags={KEY: VALUE})
    return "meta-ng"


def _classic_load_balancer(seed: Any) -> str:
    seed("elb").create_load_balancer(
        LoadBalancerName="meta-clb",
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        Subnets=subnets(seed)[:1],
        Tags=TAG,
    )
    return "meta-clb"


def _ecs_task(seed: Any) -> str:
    ecs, ec2 = seed("ecs"), seed("ec2")
    ecs.create_cluster(clusterName="meta-jobs")
    ecs.register_task_definition(
        family="meta-job",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[{"name": "job", "image": "busybox", "memory": 512, "cpu": 256}],
    )
    group = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["GroupId"]
    return str(
        ecs.run_task(
            cluster="meta-jobs",
            taskDefinition="meta-job",
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {"subnets": subnets(seed)[:1], "securityGroups": [group]}
            },
            tags=[{"key": KEY, "value": VALUE}],
        )["tasks"][0]["taskArn"]
    )


def _task_definition(seed: Any) -> str:
    reply = seed("ecs").register_task_definition(
        family="meta-td",
        containerDefinitions=[{"name": "meta", "image": "nginx", "memory": 128}],
        tags=[{"key": KEY, "value": VALUE}],
    )
    return str(reply["taskDefinition"]["taskDefinitionArn"])


def _fargate_profile(seed: Any) -> str:
    eks = seed("eks")
    eks.create_cluster(name="meta-fg", roleArn=ROLE, resourcesVpcConfig={"subnetIds": ["subnet-1"]})
    eks.create_fargate_profile(
        clusterName="meta-fg",
        fargateProfileName="meta-profile",
        podExecutionRoleArn=ROLE,
        selectors=[{"namespace": "jobs"}],
        tags={KEY: VALUE},
    )
    return "meta-profile"


def _mapping(seed: Any) -> str:
    make_function(seed, "meta-mapped")
    uuid = add_mapping(seed, "meta-mapped", enabled=True)
    lam = seed("lambda")
    lam.tag_resource(
        Resource=lam.get_event_source_mapping(UUID=uuid)["EventSourceMappingArn"], Tags={KEY: VALUE}
    )
    return uuid


def _layer_version(seed: Any) -> str:
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("python/meta.py", "")
    return str(
        seed("lambda").publish_layer_version(LayerName="meta", Content={"ZipFile": code.getvalue()})[
            "LayerVersionArn"
        ]
    )


def _mount_target(seed: Any) -> str:
    return seed_mount_target(seed, seed_file_system(seed, "meta-mt"))


def _cache_group(seed: Any) -> str:
    seed("elasticache").create_replication_group(
        ReplicationGroupId="meta-group",
        ReplicationGroupDescription="meta",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        NumCacheClusters=1,
        Tags=TAG,
    )
    return "meta-group"


def _cache_cluster(seed: Any) -> str:
    seed("elasticache").create_cache_cluster(
        CacheClusterId="meta-cache",
        Engine="memcached",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=1,
        Tags=TAG,
    )
    return "meta-cache"


def _cache_subnet_group(seed: Any) -> str:
    subnet = seed("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    seed("elasticache").create_cache_subnet_group(
        CacheSubnetGroupName="meta-subnets", CacheSubnetGroupDescription="meta", SubnetIds=[subnet], Tags=TAG
    )
    return "meta-subnets"


def _warehouse(seed: Any) -> str:
    seed("redshift").create_cluster(
        ClusterIdentifier="meta-warehouse",
        NodeType="dc2.large",
        ClusterType="single-node",
        MasterUsername="admin",
        MasterUserPassword="Secret-123",
        Tags=TAG,
    )
    return "meta-warehouse"


def _warehouse_snapshot(seed: Any) -> str:
    _warehouse(seed)
    seed("redshift").create_cluster_snapshot(
        SnapshotIdentifier="meta-snapshot", ClusterIdentifier="meta-warehouse", Tags=TAG
    )
    return "meta-snapshot"


def _warehouse_subnets(seed: Any) -> str:
    subnet = seed("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    seed("redshift").create_cluster_subnet_group(
        ClusterSubnetGroupName="meta-subnets", Description="meta", SubnetIds=[subnet], Tags=TAG
    )
    return "meta-subnets"


def _search_domain(seed: Any) -> str:
    seed("opensearch").create_domain(
        DomainName="meta-search",
        ClusterConfig={"InstanceType": "t3.small.search", "InstanceCount": 1},
        EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": 10},
        TagList=TAG,
    )
    return "meta-search"


def _delivery_stream(seed: Any) -> str:
    seed("s3").create_bucket(Bucket="meta-lake")
    seed("firehose").create_delivery_stream(
        DeliveryStreamName="meta-delivery",
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": "arn:aws:s3:::meta-lake"},
        Tags=TAG,
    )
    return "meta-delivery"


def _topic(seed: Any) -> str:
    seed("sns").create_topic(Name="meta-topic", Tags=TAG)
    return "meta-topic"


def _queue(seed: Any) -> str:
    seed("sqs").create_queue(QueueName="meta-queue", tags={KEY: VALUE})
    return "meta-queue"


def _dashboard(seed: Any) -> str:
    # not tagged: moto's TagResource knows alarms only (see TAGS_BEYOND_MOTO)
    seed("cloudwatch").put_dashboard(DashboardName="meta-board", DashboardBody='{"widgets": []}')
    return "meta-board"


def _log_group(seed: Any) -> str:
    seed("logs").create_log_group(logGroupName="meta-logs", tags={KEY: VALUE})
    return "meta-logs"


def _rest_api(seed: Any) -> str:
    return str(seed("apigateway").create_rest_api(name="meta-rest", tags={KEY: VALUE})["id"])


def _http_api(seed: Any) -> str:
    return str(
        seed("apigatewayv2").create_api(Name="meta-http", ProtocolType="HTTP", Tags={KEY: VALUE})["ApiId"]
    )


def _state_machine(seed: Any) -> str:
    seed("stepfunctions").create_state_machine(
        name="meta-sm",
        definition='{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}',
        roleArn=ROLE,
        tags=[{"key": KEY, "value": VALUE}],
    )
    return "meta-sm"


def _vpc(seed: Any) -> str:
    return str(
        seed("ec2").create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=_ec2_spec("vpc"))["Vpc"]["VpcId"]
    )


def _subnet(seed: Any, vpc: str | None = None, tagged: bool = True) -> str:
    return str(
        seed("ec2").create_subnet(
            VpcId=vpc or _vpc(seed),
            CidrBlock="10.9.1.0/24",
            AvailabilityZone="us-east-1a",
            TagSpecifications=_ec2_spec("subnet") if tagged else [],
        )["Subnet"]["SubnetId"]
    )


def _nat_gateway(seed: Any) -> str:
    ec2 = seed("ec2")
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    return str(
        ec2.create_nat_gateway(
            SubnetId=_subnet(seed), AllocationId=allocation, TagSpecifications=_ec2_spec("natgateway")
        )["NatGateway"]["NatGatewayId"]
    )


def _vpc_endpoint(seed: Any) -> str:
    vpc = _vpc(seed)
    return str(
        seed("ec2").create_vpc_endpoint(
            VpcId=vpc,
            ServiceName="com.amazonaws.us-east-1.sqs",
            VpcEndpointType="Interface",
            SubnetIds=[_subnet(seed, vpc)],
            TagSpecifications=_ec2_spec("vpc-endpoint"),
        )["VpcEndpoint"]["VpcEndpointId"]
    )


def _network_interface(seed: Any) -> str:
    return str(
        seed("ec2").create_network_interface(
            SubnetId=_subnet(seed), TagSpecifications=_ec2_spec("network-interface")
        )["NetworkInterface"]["NetworkInterfaceId"]
    )


def _internet_gateway(seed: Any) -> str:
    ec2 = seed("ec2")
    gateway = ec2.create_internet_gateway(TagSpecifications=_ec2_spec("internet-gateway"))
    gateway_id = gateway["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=_vpc(seed))
    return str(gateway_id)


def _egress_only_gateway(seed: Any) -> str:
    gateway = seed("ec2").create_egress_only_internet_gateway(
        VpcId=_vpc(seed), TagSpecifications=_ec2_spec("egress-only-internet-gateway")
    )
    return str(gateway["EgressOnlyInternetGateway"]["EgressOnlyInternetGatewayId"])


def _route_table(seed: Any) -> str:
    table = seed("ec2").create_route_table(VpcId=_vpc(seed), TagSpecifications=_ec2_spec("route-table"))
    return str(table["RouteTable"]["RouteTableId"])


def _network_acl(seed: Any) -> str:
    acl = seed("ec2").create_network_acl(VpcId=_vpc(seed), TagSpecifications=_ec2_spec("network-acl"))
    return str(acl["NetworkAcl"]["NetworkAclId"])


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
    "elbv2:load-balancer": lambda seed: load_balancer(seed, "meta-alb", tags={KEY: VALUE}),
    "elbv2:target-group": lambda seed: target_group(seed, "meta-tg", tags={KEY: VALUE}),
    "elb:load-balancer": _classic_load_balancer,
    "ecs:task": _ecs_task,
    "ecs:cluster": lambda seed: str(
        seed("ecs").create_cluster(clusterName="meta-cluster", tags=[{"key": KEY, "value": VALUE}])[
            "cluster"
        ]["clusterArn"]
    ),
    "ecs:task-definition": _task_definition,
    "eks:fargate-profile": _fargate_profile,
    "eks:cluster": lambda seed: str(
        seed("eks").create_cluster(
            name="meta-eks", roleArn=ROLE, resourcesVpcConfig={"subnetIds": ["subnet-1"]}, tags={KEY: VALUE}
        )["cluster"]["name"]
    ),
    "ecr:repository": lambda seed: str(
        seed("ecr").create_repository(repositoryName="meta-repo", tags=TAG)["repository"]["repositoryName"]
    ),
    "lambda:event-source-mapping": _mapping,
    "lambda:layer-version": _layer_version,
    "sagemaker:endpoint-config": _endpoint_config,
    "sagemaker:model": _model,
    "efs:mount-target": _mount_target,
    "efs:access-point": lambda seed: seed_access_point(seed, seed_file_system(seed, "meta-ap"), TAG),
    "efs:file-system": lambda seed: seed_file_system(seed, "meta-fs", TAG),
    "elasticache:replication-group": _cache_group,
    "elasticache:cache-cluster": _cache_cluster,
    "elasticache:subnet-group": _cache_subnet_group,
    "redshift:cluster": _warehouse,
    "redshift:snapshot": _warehouse_snapshot,
    "redshift:subnet-group": _warehouse_subnets,
    "opensearch:domain": _search_domain,
    "firehose:delivery-stream": _delivery_stream,
    "sns:topic": _topic,
    "sqs:queue": _queue,
    "cloudwatch:dashboard": _dashboard,
    "logs:log-group": _log_group,
    "apigateway:rest-api": _rest_api,
    "apigatewayv2:api": _http_api,
    "stepfunctions:state-machine": _state_machine,
    "rds:db-snapshot": _db_snapshot,
    "rds:db-cluster-snapshot": _db_cluster_snapshot,
    "dynamodb:backup": _backup,
    "rds:db-subnet-group": _subnet_group,
    "rds:db-parameter-group": _parameter_group,
    "rds:db-cluster-parameter-group": _cluster_parameter_group,
    "rds:option-group": _option_group,
    "ec2:nat-gateway": _nat_gateway,
    "ec2:vpc-endpoint": _vpc_endpoint,
    "ec2:network-interface": _network_interface,
    "ec2:internet-gateway": _internet_gateway,
    "ec2:egress-only-internet-gateway": _egress_only_gateway,
    "ec2:subnet": _subnet,
    "ec2:route-table": _route_table,
    "ec2:network-acl": _network_acl,
    "ec2:vpc": _vpc,
    "ec2:vpc-peering-connection": _peering,
    "ec2:transit-gateway": _transit_gateway,
    "ec2:transit-gateway-attachment": _transit_gateway_attachment,
    "ec2:vpn-connection": _vpn_connection,
    "ec2:vpn-gateway": _vpn_gateway,
    "ec2:customer-gateway": _customer_gateway,
    "ec2:launch-template": _launch_template,
    "autoscaling:launch-configuration": _launch_configuration,
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
# taggable on AWS, but moto cannot tag them: their handler tests read a tag through Stubber instead
TAGS_BEYOND_MOTO = {"cloudwatch:dashboard": "test_handler_cloudwatch_dashboard.py"}
HANDLERS = {handler_type.spec.key: handler_type for handler_type in HANDLER_TYPES}
# types whose listing the moto server cannot answer: their own tests use Stubber for discovery
MOTO_CANNOT_LIST = {
    "rds:option-group": "moto 5.2.5's DescribeOptionGroups fails (HTTP 500) without OptionGroupName",
}


def test_every_registered_type_has_a_seeder_and_every_parkable_type_a_settings_schema():
    assert set(SEEDERS) == set(HANDLERS)
    parkable = {key for key, handler in HANDLERS.items() if Action.STOP in handler.spec.actions}
    assert set(SETTINGS_SCHEMAS) == parkable


@pytest.mark.parametrize("type_key", sorted(HANDLERS))
def test_taggable_is_true_iff_discovery_returns_the_tag(type_key, aws, account, seed):
    if type_key in MOTO_CANNOT_LIST:
        pytest.skip(MOTO_CANNOT_LIST[type_key])
    seeded = SEEDERS[type_key](seed)
    handler = HANDLERS[type_key](aws)
    location = Location(account, GLOBAL_REGION if handler.spec.is_global else REGION)
    [found] = [r for r in handler.discover(location, [REGION]) if seeded in (r.id, r.name)]
    carries = found.tags is not None and found.tags.get(KEY) == VALUE
    carries = carries or type_key in TAGS_BEYOND_MOTO
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
    if type_key in MOTO_CANNOT_LIST:
        pytest.skip(MOTO_CANNOT_LIST[type_key])
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


@pytest.mark.parametrize("type_key", sorted(HANDLERS))
def test_every_type_declares_its_iam_actions_and_has_its_own_integration_test(type_key):
    """`costzero iam-policy` is built from these; a type without them would get a policy that fails."""
    import re
    from pathlib import Path

    handler_type = HANDLERS[type_key]
    assert handler_type.iam_actions, f"{type_key} declares no iam_actions"
    for action in handler_type.iam_actions:
        assert re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9*]+", action), (type_key, action)
    module = handler_type.__module__.rsplit(".", 1)[-1]
    here = Path(__file__).parent
    assert list(here.glob(f"test_handler_{module}*.py")), f"no tests/integration/test_handler_{module}*.py"
