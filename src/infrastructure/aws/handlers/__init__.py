"""The catalogue of boto3 resource handlers: one module per type, registered here explicitly."""

from costzero.infrastructure.aws.handler_kit.base import AwsHandler
from costzero.infrastructure.aws.handlers.autoscaling_group import AutoScalingGroupHandler
from costzero.infrastructure.aws.handlers.cloudwatch_alarm import CloudWatchAlarmHandler
from costzero.infrastructure.aws.handlers.dynamodb_table import DynamoDbTableHandler
from costzero.infrastructure.aws.handlers.ec2_elastic_ip import Ec2ElasticIpHandler
from costzero.infrastructure.aws.handlers.ec2_image import Ec2ImageHandler
from costzero.infrastructure.aws.handlers.ec2_instance import Ec2InstanceHandler
from costzero.infrastructure.aws.handlers.ec2_key_pair import Ec2KeyPairHandler
from costzero.infrastructure.aws.handlers.ec2_security_group import Ec2SecurityGroupHandler
from costzero.infrastructure.aws.handlers.ec2_snapshot import Ec2SnapshotHandler
from costzero.infrastructure.aws.handlers.ec2_volume import Ec2VolumeHandler
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
from costzero.infrastructure.aws.handlers.elasticbeanstalk_application import (
    ElasticBeanstalkApplicationHandler,
)
from costzero.infrastructure.aws.handlers.elasticbeanstalk_environment import (
    ElasticBeanstalkEnvironmentHandler,
)
from costzero.infrastructure.aws.handlers.elb_load_balancer import ElbLoadBalancerHandler
from costzero.infrastructure.aws.handlers.elbv2_load_balancer import Elbv2LoadBalancerHandler
from costzero.infrastructure.aws.handlers.elbv2_target_group import Elbv2TargetGroupHandler
from costzero.infrastructure.aws.handlers.kinesis_stream import KinesisStreamHandler
from costzero.infrastructure.aws.handlers.lambda_event_source_mapping import LambdaEventSourceMappingHandler
from costzero.infrastructure.aws.handlers.lambda_function import LambdaFunctionHandler
from costzero.infrastructure.aws.handlers.lambda_layer_version import LambdaLayerVersionHandler
from costzero.infrastructure.aws.handlers.rds_db_cluster import RdsDbClusterHandler
from costzero.infrastructure.aws.handlers.rds_db_instance import RdsDbInstanceHandler
from costzero.infrastructure.aws.handlers.s3_bucket import S3BucketHandler
from costzero.infrastructure.aws.handlers.sagemaker_endpoint import SageMakerEndpointHandler
from costzero.infrastructure.aws.handlers.sagemaker_endpoint_config import SageMakerEndpointConfigHandler
from costzero.infrastructure.aws.handlers.sagemaker_model import SageMakerModelHandler
from costzero.infrastructure.aws.handlers.sagemaker_notebook_instance import SageMakerNotebookInstanceHandler

HANDLER_TYPES: tuple[type[AwsHandler], ...] = (
    Ec2InstanceHandler,
    Ec2VolumeHandler,
    Ec2SnapshotHandler,
    Ec2ImageHandler,
    Ec2ElasticIpHandler,
    Ec2SecurityGroupHandler,
    Ec2KeyPairHandler,
    S3BucketHandler,
    ElasticBeanstalkEnvironmentHandler,
    ElasticBeanstalkApplicationHandler,
    AutoScalingGroupHandler,
    CloudWatchAlarmHandler,
    LambdaFunctionHandler,
    KinesisStreamHandler,
    DynamoDbTableHandler,
    EcsServiceHandler,
    RdsDbInstanceHandler,
    RdsDbClusterHandler,
    SageMakerEndpointHandler,
    SageMakerNotebookInstanceHandler,
    EksNodegroupHandler,
    Elbv2LoadBalancerHandler,
    Elbv2TargetGroupHandler,
    ElbLoadBalancerHandler,
    EcsTaskHandler,
    EcsClusterHandler,
    EcsTaskDefinitionHandler,
    EksFargateProfileHandler,
    EksClusterHandler,
    EcrRepositoryHandler,
    LambdaEventSourceMappingHandler,
    LambdaLayerVersionHandler,
    SageMakerEndpointConfigHandler,
    SageMakerModelHandler,
    EfsMountTargetHandler,
    EfsAccessPointHandler,
    EfsFileSystemHandler,
)

__all__ = ["HANDLER_TYPES", "AwsHandler"]
