"""The one table that turns AWS error codes into outcomes, at the adapter boundary."""

from __future__ import annotations

import re

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    NoCredentialsError,
    ParamValidationError,
    PartialCredentialsError,
    ProfileNotFound,
)

from costzero.domain.errors import (
    CloudError,
    CredentialsError,
    EndpointUnreachableError,
    TemporaryCloudError,
    ThrottledError,
)
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome

# Each table is a tuple of codes grouped by service; a code appears once, in one table only
# (tests/unit/test_aws_errors.py checks it).
_THROTTLED: tuple[str, ...] = (
    # several services: slow down and try again
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestThrottled",
    "RequestThrottledException",
    # EC2
    "RequestLimitExceeded",
    # S3
    "SlowDown",
    # DynamoDB, Kinesis: capacity exceeded
    "ProvisionedThroughputExceededException",
    # the service's own trouble: worth another try
    "ServiceUnavailable",
    "InternalError",
    "InternalFailure",
)
_NOT_YET: tuple[str, ...] = (
    # several services: in use, busy or mid-change
    "ResourceInUseException",
    "InvalidState",
    "InvalidStateException",
    "OperationInProgress",
    "ConflictException",
    # EC2: still attached, referenced or changing state
    "DependencyViolation",
    "VolumeInUse",
    "IncorrectState",
    "IncorrectInstanceState",
    "InvalidSnapshot.InUse",
    "InvalidIPAddress.InUse",
    "InvalidNetworkInterface.InUse",
    # S3: a bucket with objects left, a conflicting operation on it
    "BucketNotEmpty",
    "OperationAborted",
    # Lambda
    "ResourceConflictException",
    # EFS: a file system with mount targets, a mount target mid-change
    "FileSystemInUse",
    "IncorrectFileSystemLifeCycleState",
    "IncorrectMountTargetState",
    # ElastiCache: a group or cluster mid-change, a subnet group still in use
    "InvalidReplicationGroupState",
    "InvalidCacheClusterState",
    "CacheSubnetGroupInUse",
    # Redshift: a cluster or snapshot mid-change, a subnet group still in use
    "InvalidClusterState",
    "InvalidClusterSnapshotState",
    "InvalidClusterSubnetGroupStateFault",
    "InvalidClusterSubnetStateFault",
    # RDS: still in use, or busy (being created, modified, backed up); InvalidParameterCombination
    # is also RDS's answer for a protected resource, told apart in handler_kit/rds.py
    "InvalidParameterCombination",
    "InvalidDBInstanceState",
    "InvalidDBInstanceStateFault",
    "InvalidDBClusterStateFault",
    "InvalidDBSnapshotState",
    "InvalidDBSnapshotStateFault",
    "InvalidDBClusterSnapshotStateFault",
    "InvalidDBSubnetGroupStateFault",
    "InvalidDBParameterGroupState",
    "InvalidDBParameterGroupStateFault",
    "InvalidOptionGroupStateFault",
    # DynamoDB: a backup being made
    "BackupInUseException",
    # ECS: a cluster with services, tasks or container instances left
    "ClusterContainsServicesException",
    "ClusterContainsTasksException",
    "ClusterContainsContainerInstancesException",
    # ECR: a repository with images left
    "RepositoryNotEmptyException",
    # Auto Scaling: a launch configuration in use, a group scaling
    "ResourceInUse",
    "ScalingActivityInProgress",
    # IAM: attached policies, members, profiles left
    "DeleteConflict",
    # Route 53: records left, a change still propagating
    "HostedZoneNotEmpty",
    "PriorRequestNotComplete",
    # CloudFront: a distribution still enabled, a stale ETag, an identity still in use
    "DistributionNotDisabled",
    "PreconditionFailed",
    "CloudFrontOriginAccessIdentityInUse",
)
_GONE: tuple[str, ...] = (
    # several services
    "ResourceNotFoundException",
    "ResourceNotFound",
    "NotFound",
    "NotFoundException",
    # EC2: instances, volumes, snapshots, images, addresses, groups, key pairs, launch templates
    "InvalidInstanceID.NotFound",
    "InvalidVolume.NotFound",
    "InvalidSnapshot.NotFound",
    "InvalidAMIID.NotFound",
    "InvalidAMIID.Unavailable",
    "InvalidAllocationID.NotFound",
    "InvalidAssociationID.NotFound",
    "InvalidGroup.NotFound",
    "InvalidGroupId.NotFound",
    "InvalidPermission.NotFound",
    "InvalidKeyPair.NotFound",
    "InvalidLaunchTemplateId.NotFound",
    "InvalidLaunchTemplateName.NotFoundException",
    # VPC: NAT gateways, endpoints, interfaces, gateways, subnets, route tables, ACLs, VPCs,
    # peering, transit gateways, VPN
    "NatGatewayNotFound",
    "InvalidVpcEndpointId.NotFound",
    "InvalidVpcEndpoint.NotFound",
    "InvalidNetworkInterfaceID.NotFound",
    "InvalidInternetGatewayID.NotFound",
    "InvalidGatewayID.NotFound",
    "InvalidSubnetID.NotFound",
    "InvalidRouteTableID.NotFound",
    "InvalidNetworkAclID.NotFound",
    "InvalidVpcID.NotFound",
    "InvalidAttachmentID.NotFound",
    "InvalidVpcPeeringConnectionID.NotFound",
    "InvalidTransitGatewayID.NotFound",
    "InvalidTransitGatewayAttachmentID.NotFound",
    "InvalidVpnConnectionID.NotFound",
    "InvalidVpnGatewayID.NotFound",
    "InvalidCustomerGatewayID.NotFound",
    # S3
    "NoSuchBucket",
    "NoSuchKey",
    # IAM
    "NoSuchEntity",
    # EFS
    "FileSystemNotFound",
    "MountTargetNotFound",
    "AccessPointNotFound",
    # ElastiCache
    "ReplicationGroupNotFoundFault",
    "CacheClusterNotFound",
    "CacheSubnetGroupNotFoundFault",
    # Redshift
    "ClusterNotFound",
    "ClusterSnapshotNotFound",
    "ClusterSubnetGroupNotFoundFault",
    # SQS
    "AWS.SimpleQueueService.NonExistentQueue",
    "QueueDoesNotExist",
    # Step Functions
    "StateMachineDoesNotExist",
    # RDS (the wire codes, with and without "Fault")
    "DBInstanceNotFound",
    "DBInstanceNotFoundFault",
    "DBClusterNotFoundFault",
    "DBSnapshotNotFound",
    "DBSnapshotNotFoundFault",
    "DBClusterSnapshotNotFoundFault",
    "DBSubnetGroupNotFoundFault",
    "DBParameterGroupNotFound",
    "DBParameterGroupNotFoundFault",
    "DBClusterParameterGroupNotFoundFault",
    "OptionGroupNotFoundFault",
    # DynamoDB: tables and backups
    "BackupNotFoundException",
    "TableNotFoundException",
    # Elastic Load Balancing
    "LoadBalancerNotFound",
    "TargetGroupNotFound",
    # ECS
    "ClusterNotFoundException",
    "ServiceNotFoundException",
    "ServiceNotActiveException",
    # ECR
    "RepositoryNotFoundException",
    # Route 53
    "NoSuchHostedZone",
    # CloudFront
    "NoSuchDistribution",
    "NoSuchCloudFrontOriginAccessIdentity",
)
_PROTECTED: tuple[str, ...] = (
    # EC2: termination protection, a default security group
    "OperationNotPermitted",
    "CannotDelete",
    "InvalidGroup.Reserved",
    # IAM: service-linked or AWS-managed entities
    "UnmodifiableEntity",
)
_DENIED: tuple[str, ...] = (
    # several services (XML and JSON APIs)
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedAccess",
    "InsufficientPrivilegesException",
    # EC2
    "UnauthorizedOperation",
    # SNS
    "AuthorizationError",
)

ERROR_TABLE: dict[str, OutcomeKind] = {
    **{code: OutcomeKind.THROTTLED for code in _THROTTLED},
    **{code: OutcomeKind.NOT_YET for code in _NOT_YET},
    **{code: OutcomeKind.GONE for code in _GONE},
    **{code: OutcomeKind.PROTECTED for code in _PROTECTED},
    **{code: OutcomeKind.DENIED for code in _DENIED},
}


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def error_message(error: ClientError) -> str:
    info = error.response.get("Error", {})
    return f"{info.get('Code', '?')}: {info.get('Message', '')}".strip()


def classify(error: ClientError) -> OutcomeKind:
    """The outcome for an error code; codes not in the table are FAILED."""
    code = error_code(error)
    if code in ERROR_TABLE:
        return ERROR_TABLE[code]
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    if isinstance(status, int) and status >= 500:
        return OutcomeKind.THROTTLED
    return OutcomeKind.FAILED


# AWS resource IDs as "not yet" messages name them: "snap-1 is currently in use by ami-2",
# "vol-1 is currently attached to i-2".
_AWS_ID = re.compile(
    r"\b(?:i|vol|snap|ami|sg|eni|eipalloc|eipassoc|nat|igw|eigw|subnet|vpce|vpc|rtb|acl|pcx|"
    r"tgw-attach|tgw|vpn|vgw|cgw|lt|e)-[0-9a-z]{6,17}\b"
)


def named_blockers(resource_id: str, message: str) -> tuple[str, ...]:
    """The resource IDs a "not yet" message names, other than the resource's own."""
    found = dict.fromkeys(m.group(0) for m in _AWS_ID.finditer(message))
    return tuple(i for i in found if i != resource_id)


def outcome(resource_id: str, error: ClientError, action: str = "") -> ResourceOutcome:
    kind = classify(error)
    message = error_message(error)
    if kind is OutcomeKind.DENIED and action:
        message = f"missing IAM permission {action} ({message})"
    blockers = named_blockers(resource_id, message) if kind is OutcomeKind.NOT_YET else ()
    return ResourceOutcome(resource_id, kind, message, blockers)


def translate(error: Exception) -> Exception:
    """Turn an unexpected botocore error into a costzero error (callers `raise ... from error`).

    Throttling, 5xx and "not yet" codes become TemporaryCloudError (task work tries again); other
    AWS answers CloudError; a request botocore refuses to send (ParamValidationError) is our bug
    and is returned unchanged, so that it fails the task at once instead of being retried.
    """
    if isinstance(error, (EndpointConnectionError, ConnectTimeoutError)):
        return EndpointUnreachableError(f"cannot reach the AWS endpoint: {error}")
    if isinstance(error, ProfileNotFound):
        profile = error.kwargs.get("profile")
        return CredentialsError(f"unknown AWS profile {profile!r} (from AWS_PROFILE or --profile)")
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return CredentialsError(f"no usable AWS credentials: {error}")
    if isinstance(error, ClientError):
        if error_code(error) in _THROTTLED:
            return ThrottledError(error_message(error))
        if classify(error) in (OutcomeKind.THROTTLED, OutcomeKind.NOT_YET):
            return TemporaryCloudError(error_message(error))
        return CloudError(error_message(error))
    if isinstance(error, HTTPClientError):  # connection reset, read timeout: after botocore's retries
        return TemporaryCloudError(str(error))
    if isinstance(error, ParamValidationError):
        return error
    if isinstance(error, BotoCoreError):
        return CloudError(str(error))
    return error
