"""The catalogue of boto3 resource handlers: one module per type, registered here explicitly."""

from costzero.infrastructure.aws.handler_kit.base import AwsHandler
from costzero.infrastructure.aws.handlers.autoscaling_group import AutoScalingGroupHandler
from costzero.infrastructure.aws.handlers.cloudformation_stack import CloudFormationStackHandler
from costzero.infrastructure.aws.handlers.cloudfront_distribution import CloudFrontDistributionHandler
from costzero.infrastructure.aws.handlers.cloudfront_origin_access_identity import (
    CloudFrontOriginAccessIdentityHandler,
)
from costzero.infrastructure.aws.handlers.cloudwatch_alarm import CloudWatchAlarmHandler
from costzero.infrastructure.aws.handlers.dynamodb_table import DynamoDbTableHandler
from costzero.infrastructure.aws.handlers.ec2_elastic_ip import Ec2ElasticIpHandler
from costzero.infrastructure.aws.handlers.ec2_image import Ec2ImageHandler
from costzero.infrastructure.aws.handlers.ec2_instance import Ec2InstanceHandler
from costzero.infrastructure.aws.handlers.ec2_key_pair import Ec2KeyPairHandler
from costzero.infrastructure.aws.handlers.ec2_security_group import Ec2SecurityGroupHandler
from costzero.infrastructure.aws.handlers.ec2_snapshot import Ec2SnapshotHandler
from costzero.infrastructure.aws.handlers.ec2_volume import Ec2VolumeHandler
from costzero.infrastructure.aws.handlers.ecs_service import EcsServiceHandler
from costzero.infrastructure.aws.handlers.eks_nodegroup import EksNodegroupHandler
from costzero.infrastructure.aws.handlers.elasticbeanstalk_application import (
    ElasticBeanstalkApplicationHandler,
)
from costzero.infrastructure.aws.handlers.elasticbeanstalk_environment import (
    ElasticBeanstalkEnvironmentHandler,
)
from costzero.infrastructure.aws.handlers.iam_instance_profile import IamInstanceProfileHandler
from costzero.infrastructure.aws.handlers.iam_policy import IamPolicyHandler
from costzero.infrastructure.aws.handlers.iam_role import IamRoleHandler
from costzero.infrastructure.aws.handlers.iam_user import IamUserHandler
from costzero.infrastructure.aws.handlers.kinesis_stream import KinesisStreamHandler
from costzero.infrastructure.aws.handlers.kms_key import KmsKeyHandler
from costzero.infrastructure.aws.handlers.lambda_function import LambdaFunctionHandler
from costzero.infrastructure.aws.handlers.rds_db_cluster import RdsDbClusterHandler
from costzero.infrastructure.aws.handlers.rds_db_instance import RdsDbInstanceHandler
from costzero.infrastructure.aws.handlers.route53_hosted_zone import Route53HostedZoneHandler
from costzero.infrastructure.aws.handlers.s3_bucket import S3BucketHandler
from costzero.infrastructure.aws.handlers.sagemaker_endpoint import SageMakerEndpointHandler
from costzero.infrastructure.aws.handlers.sagemaker_notebook_instance import SageMakerNotebookInstanceHandler
from costzero.infrastructure.aws.handlers.secretsmanager_secret import SecretsManagerSecretHandler

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
    IamInstanceProfileHandler,
    IamRoleHandler,
    IamPolicyHandler,
    IamUserHandler,
    SecretsManagerSecretHandler,
    KmsKeyHandler,
    Route53HostedZoneHandler,
    CloudFormationStackHandler,
    CloudFrontDistributionHandler,
    CloudFrontOriginAccessIdentityHandler,
)

__all__ = ["HANDLER_TYPES", "AwsHandler"]
