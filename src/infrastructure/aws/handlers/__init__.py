"""The catalogue of boto3 resource handlers: one module per type, registered here explicitly."""

from costzero.infrastructure.aws.handler_kit.base import AwsHandler
from costzero.infrastructure.aws.handlers.apigateway_rest_api import ApiGatewayRestApiHandler
from costzero.infrastructure.aws.handlers.apigatewayv2_api import ApiGatewayV2ApiHandler
from costzero.infrastructure.aws.handlers.autoscaling_group import AutoScalingGroupHandler
from costzero.infrastructure.aws.handlers.autoscaling_launch_configuration import (
    AutoScalingLaunchConfigurationHandler,
)
from costzero.infrastructure.aws.handlers.cloudformation_stack import CloudFormationStackHandler
from costzero.infrastructure.aws.handlers.cloudfront_distribution import CloudFrontDistributionHandler
from costzero.infrastructure.aws.handlers.cloudfront_origin_access_identity import (
    CloudFrontOriginAccessIdentityHandler,
)
from costzero.infrastructure.aws.handlers.cloudwatch_alarm import CloudWatchAlarmHandler
from costzero.infrastructure.aws.handlers.cloudwatch_dashboard import CloudWatchDashboardHandler
from costzero.infrastructure.aws.handlers.dynamodb_backup import DynamoDbBackupHandler
from costzero.infrastructure.aws.handlers.dynamodb_table import DynamoDbTableHandler
from costzero.infrastructure.aws.handlers.ec2_customer_gateway import Ec2CustomerGatewayHandler
from costzero.infrastructure.aws.handlers.ec2_egress_only_internet_gateway import (
    Ec2EgressOnlyInternetGatewayHandler,
)
from costzero.infrastructure.aws.handlers.ec2_elastic_ip import Ec2ElasticIpHandler
from costzero.infrastructure.aws.handlers.ec2_image import Ec2ImageHandler
from costzero.infrastructure.aws.handlers.ec2_instance import Ec2InstanceHandler
from costzero.infrastructure.aws.handlers.ec2_internet_gateway import Ec2InternetGatewayHandler
from costzero.infrastructure.aws.handlers.ec2_key_pair import Ec2KeyPairHandler
from costzero.infrastructure.aws.handlers.ec2_launch_template import Ec2LaunchTemplateHandler
from costzero.infrastructure.aws.handlers.ec2_nat_gateway import Ec2NatGatewayHandler
from costzero.infrastructure.aws.handlers.ec2_network_acl import Ec2NetworkAclHandler
from costzero.infrastructure.aws.handlers.ec2_network_interface import Ec2NetworkInterfaceHandler
from costzero.infrastructure.aws.handlers.ec2_route_table import Ec2RouteTableHandler
from costzero.infrastructure.aws.handlers.ec2_security_group import Ec2SecurityGroupHandler
from costzero.infrastructure.aws.handlers.ec2_snapshot import Ec2SnapshotHandler
from costzero.infrastructure.aws.handlers.ec2_subnet import Ec2SubnetHandler
from costzero.infrastructure.aws.handlers.ec2_transit_gateway import Ec2TransitGatewayHandler
from costzero.infrastructure.aws.handlers.ec2_transit_gateway_attachment import (
    Ec2TransitGatewayAttachmentHandler,
)
from costzero.infrastructure.aws.handlers.ec2_volume import Ec2VolumeHandler
from costzero.infrastructure.aws.handlers.ec2_vpc import Ec2VpcHandler
from costzero.infrastructure.aws.handlers.ec2_vpc_endpoint import Ec2VpcEndpointHandler
from costzero.infrastructure.aws.handlers.ec2_vpc_peering_connection import Ec2VpcPeeringConnectionHandler
from costzero.infrastructure.aws.handlers.ec2_vpn_connection import Ec2VpnConnectionHandler
from costzero.infrastructure.aws.handlers.ec2_vpn_gateway import Ec2VpnGatewayHandler
from costzero.infrastructure.aws.handlers.ecr_repository import EcrRepositoryHandler
from costzero.infrastructure.aws.handlers.ecs_cluster import EcsClusterHandler
from costzero.infrastructure.aws.handlers.ecs_service import EcsServiceHandler
from costzero.infrastructure.aws.handlers.ecs_task import EcsTaskHandler
from costzero.infrastructure.aws.handlers.ecs_task_definition import EcsTaskDefinitionHandler
from costzero.infrastructure.aws.handlers.efs_access_point import EfsAccessPointHandler
from costzero.infrastructure.aws.handlers.efs_file_system import EfsFileSystemHandler
from costzero.infrastructure.aws.handlers.efs_mount_target import EfsMountTargetHandler
from costzero.infrastructure.aws.handlers.eks_cluster import EksClusterHandler
from costzero.infrastructure.aws.handlers.eks_fargate_profile import EksFargateProfileHandler
from costzero.infrastructure.aws.handlers.eks_nodegroup import EksNodegroupHandler
from costzero.infrastructure.aws.handlers.elasticache_cache_cluster import ElastiCacheCacheClusterHandler
from costzero.infrastructure.aws.handlers.elasticache_replication_group import (
    ElastiCacheReplicationGroupHandler,
)
from costzero.infrastructure.aws.handlers.elasticache_subnet_group import ElastiCacheSubnetGroupHandler
from costzero.infrastructure.aws.handlers.elasticbeanstalk_application import (
    ElasticBeanstalkApplicationHandler,
)
from costzero.infrastructure.aws.handlers.elasticbeanstalk_environment import (
    ElasticBeanstalkEnvironmentHandler,
)
from costzero.infrastructure.aws.handlers.elb_load_balancer import ElbLoadBalancerHandler
from costzero.infrastructure.aws.handlers.elbv2_load_balancer import Elbv2LoadBalancerHandler
from costzero.infrastructure.aws.handlers.elbv2_target_group import Elbv2TargetGroupHandler
from costzero.infrastructure.aws.handlers.firehose_delivery_stream import FirehoseDeliveryStreamHandler
from costzero.infrastructure.aws.handlers.iam_instance_profile import IamInstanceProfileHandler
from costzero.infrastructure.aws.handlers.iam_policy import IamPolicyHandler
from costzero.infrastructure.aws.handlers.iam_role import IamRoleHandler
from costzero.infrastructure.aws.handlers.iam_user import IamUserHandler
from costzero.infrastructure.aws.handlers.kinesis_stream import KinesisStreamHandler
from costzero.infrastructure.aws.handlers.kms_key import KmsKeyHandler
from costzero.infrastructure.aws.handlers.lambda_event_source_mapping import LambdaEventSourceMappingHandler
from costzero.infrastructure.aws.handlers.lambda_function import LambdaFunctionHandler
from costzero.infrastructure.aws.handlers.lambda_layer_version import LambdaLayerVersionHandler
from costzero.infrastructure.aws.handlers.logs_log_group import LogsLogGroupHandler
from costzero.infrastructure.aws.handlers.opensearch_domain import OpenSearchDomainHandler
from costzero.infrastructure.aws.handlers.rds_db_cluster import RdsDbClusterHandler
from costzero.infrastructure.aws.handlers.rds_db_cluster_parameter_group import (
    RdsDbClusterParameterGroupHandler,
)
from costzero.infrastructure.aws.handlers.rds_db_cluster_snapshot import RdsDbClusterSnapshotHandler
from costzero.infrastructure.aws.handlers.rds_db_instance import RdsDbInstanceHandler
from costzero.infrastructure.aws.handlers.rds_db_parameter_group import RdsDbParameterGroupHandler
from costzero.infrastructure.aws.handlers.rds_db_snapshot import RdsDbSnapshotHandler
from costzero.infrastructure.aws.handlers.rds_db_subnet_group import RdsDbSubnetGroupHandler
from costzero.infrastructure.aws.handlers.rds_option_group import RdsOptionGroupHandler
from costzero.infrastructure.aws.handlers.redshift_cluster import RedshiftClusterHandler
from costzero.infrastructure.aws.handlers.redshift_snapshot import RedshiftSnapshotHandler
from costzero.infrastructure.aws.handlers.redshift_subnet_group import RedshiftSubnetGroupHandler
from costzero.infrastructure.aws.handlers.route53_hosted_zone import Route53HostedZoneHandler
from costzero.infrastructure.aws.handlers.s3_bucket import S3BucketHandler
from costzero.infrastructure.aws.handlers.sagemaker_endpoint import SageMakerEndpointHandler
from costzero.infrastructure.aws.handlers.sagemaker_endpoint_config import SageMakerEndpointConfigHandler
from costzero.infrastructure.aws.handlers.sagemaker_model import SageMakerModelHandler
from costzero.infrastructure.aws.handlers.sagemaker_notebook_instance import SageMakerNotebookInstanceHandler
from costzero.infrastructure.aws.handlers.secretsmanager_secret import SecretsManagerSecretHandler
from costzero.infrastructure.aws.handlers.sns_topic import SnsTopicHandler
from costzero.infrastructure.aws.handlers.sqs_queue import SqsQueueHandler
from costzero.infrastructure.aws.handlers.stepfunctions_state_machine import StepFunctionsStateMachineHandler

HANDLER_TYPES: tuple[type[AwsHandler], ...] = (
    ApiGatewayRestApiHandler,
    ApiGatewayV2ApiHandler,
    AutoScalingGroupHandler,
    AutoScalingLaunchConfigurationHandler,
    CloudFormationStackHandler,
    CloudFrontDistributionHandler,
    CloudFrontOriginAccessIdentityHandler,
    CloudWatchAlarmHandler,
    CloudWatchDashboardHandler,
    DynamoDbBackupHandler,
    DynamoDbTableHandler,
    Ec2CustomerGatewayHandler,
    Ec2EgressOnlyInternetGatewayHandler,
    Ec2ElasticIpHandler,
    Ec2ImageHandler,
    Ec2InstanceHandler,
    Ec2InternetGatewayHandler,
    Ec2KeyPairHandler,
    Ec2LaunchTemplateHandler,
    Ec2NatGatewayHandler,
    Ec2NetworkAclHandler,
    Ec2NetworkInterfaceHandler,
    Ec2RouteTableHandler,
    Ec2SecurityGroupHandler,
    Ec2SnapshotHandler,
    Ec2SubnetHandler,
    Ec2TransitGatewayHandler,
    Ec2TransitGatewayAttachmentHandler,
    Ec2VolumeHandler,
    Ec2VpcHandler,
    Ec2VpcEndpointHandler,
    Ec2VpcPeeringConnectionHandler,
    Ec2VpnConnectionHandler,
    Ec2VpnGatewayHandler,
    EcrRepositoryHandler,
    EcsClusterHandler,
    EcsServiceHandler,
    EcsTaskHandler,
    EcsTaskDefinitionHandler,
    EfsAccessPointHandler,
    EfsFileSystemHandler,
    EfsMountTargetHandler,
    EksClusterHandler,
    EksFargateProfileHandler,
    EksNodegroupHandler,
    ElastiCacheCacheClusterHandler,
    ElastiCacheReplicationGroupHandler,
    ElastiCacheSubnetGroupHandler,
    ElasticBeanstalkApplicationHandler,
    ElasticBeanstalkEnvironmentHandler,
    ElbLoadBalancerHandler,
    Elbv2LoadBalancerHandler,
    Elbv2TargetGroupHandler,
    FirehoseDeliveryStreamHandler,
    IamInstanceProfileHandler,
    IamPolicyHandler,
    IamRoleHandler,
    IamUserHandler,
    KinesisStreamHandler,
    KmsKeyHandler,
    LambdaEventSourceMappingHandler,
    LambdaFunctionHandler,
    LambdaLayerVersionHandler,
    LogsLogGroupHandler,
    OpenSearchDomainHandler,
    RdsDbClusterHandler,
    RdsDbClusterParameterGroupHandler,
    RdsDbClusterSnapshotHandler,
    RdsDbInstanceHandler,
    RdsDbParameterGroupHandler,
    RdsDbSnapshotHandler,
    RdsDbSubnetGroupHandler,
    RdsOptionGroupHandler,
    RedshiftClusterHandler,
    RedshiftSnapshotHandler,
    RedshiftSubnetGroupHandler,
    Route53HostedZoneHandler,
    S3BucketHandler,
    SageMakerEndpointHandler,
    SageMakerEndpointConfigHandler,
    SageMakerModelHandler,
    SageMakerNotebookInstanceHandler,
    SecretsManagerSecretHandler,
    SnsTopicHandler,
    SqsQueueHandler,
    StepFunctionsStateMachineHandler,
)

__all__ = ["HANDLER_TYPES", "AwsHandler"]
