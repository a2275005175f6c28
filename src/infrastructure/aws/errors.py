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

_THROTTLED = (
    "Throttling ThrottlingException ThrottledException RequestLimitExceeded TooManyRequestsException "
    "SlowDown RequestThrottled RequestThrottledException ProvisionedThroughputExceededException "
    "ServiceUnavailable InternalError InternalFailure "
)
_NOT_YET = (
    "DependencyViolation VolumeInUse IncorrectState IncorrectInstanceState InvalidSnapshot.InUse "
    "ResourceInUse ResourceInUseException OperationInProgress BucketNotEmpty InvalidIPAddress.InUse "
    "InvalidState InvalidStateException OperationAborted ConflictException "
    "InvalidParameterCombination ResourceConflictException FileSystemInUse "
    "IncorrectFileSystemLifeCycleState IncorrectMountTargetState "
    "InvalidParameterCombination "
    # ElastiCache, Redshift: a group or cluster mid-change, a subnet group or snapshot still in use
    "InvalidReplicationGroupState InvalidCacheClusterState CacheSubnetGroupInUse InvalidClusterState "
    "InvalidClusterSnapshotState InvalidClusterSubnetGroupStateFault InvalidClusterSubnetStateFault "
    "InvalidParameterCombination "
    # RDS and DynamoDB: still in use, or busy (being created, modified, backed up)
    "InvalidDBInstanceState InvalidDBInstanceStateFault InvalidDBClusterStateFault InvalidDBSnapshotState "
    "InvalidDBSnapshotStateFault InvalidDBClusterSnapshotStateFault InvalidDBSubnetGroupStateFault "
    "InvalidDBParameterGroupState InvalidDBParameterGroupStateFault InvalidOptionGroupStateFault "
    "BackupInUseException "
    "InvalidParameterCombination InvalidNetworkInterface.InUse "
    "InvalidParameterCombination ClusterContainsServicesException ClusterContainsTasksException "
    "ClusterContainsContainerInstancesException RepositoryNotEmptyException "
    "ResourceConflictException FileSystemInUse "
    "IncorrectFileSystemLifeCycleState IncorrectMountTargetState "
    "InvalidParameterCombination ScalingActivityInProgress "
    "InvalidParameterCombination DeleteConflict HostedZoneNotEmpty PriorRequestNotComplete "
    "DistributionNotDisabled PreconditionFailed CloudFrontOriginAccessIdentityInUse "
)
_GONE = (
    "InvalidInstanceID.NotFound InvalidVolume.NotFound InvalidSnapshot.NotFound InvalidAMIID.NotFound "
    "InvalidAMIID.Unavailable InvalidAllocationID.NotFound InvalidAssociationID.NotFound "
    "InvalidGroup.NotFound InvalidGroupId.NotFound InvalidKeyPair.NotFound NoSuchBucket NoSuchKey "
    "ResourceNotFoundException NotFound NoSuchEntity InvalidPermission.NotFound "
    "FileSystemNotFound MountTargetNotFound AccessPointNotFound "
    "ReplicationGroupNotFoundFault CacheClusterNotFound CacheSubnetGroupNotFoundFault "
    "ClusterNotFound ClusterSnapshotNotFound ClusterSubnetGroupNotFoundFault "
    "AWS.SimpleQueueService.NonExistentQueue QueueDoesNotExist ResourceNotFound NotFoundException "
    "StateMachineDoesNotExist "
    # RDS (the wire codes, with and without "Fault") and DynamoDB backups
    "DBInstanceNotFound DBInstanceNotFoundFault DBClusterNotFoundFault DBSnapshotNotFound "
    "DBSnapshotNotFoundFault DBClusterSnapshotNotFoundFault DBSubnetGroupNotFoundFault "
    "DBParameterGroupNotFound DBParameterGroupNotFoundFault DBClusterParameterGroupNotFoundFault "
    "OptionGroupNotFoundFault BackupNotFoundException TableNotFoundException "
    # VPC core: NAT gateways, endpoints, interfaces, gateways, subnets, route tables, ACLs, VPCs
    "NatGatewayNotFound InvalidVpcEndpointId.NotFound InvalidVpcEndpoint.NotFound "
    "InvalidNetworkInterfaceID.NotFound "
    "InvalidInternetGatewayID.NotFound InvalidGatewayID.NotFound InvalidSubnetID.NotFound "
    "InvalidRouteTableID.NotFound InvalidNetworkAclID.NotFound InvalidVpcID.NotFound "
    "InvalidAttachmentID.NotFound "
    "ResourceNotFoundException NotFound NoSuchEntity InvalidPermission.NotFound LoadBalancerNotFound "
    "TargetGroupNotFound ClusterNotFoundException ServiceNotFoundException ServiceNotActiveException "
    "RepositoryNotFoundException FileSystemNotFound MountTargetNotFound AccessPointNotFound "
    "InvalidVpcPeeringConnectionID.NotFound InvalidTransitGatewayID.NotFound "
    "InvalidTransitGatewayAttachmentID.NotFound InvalidVpnConnectionID.NotFound "
    "InvalidVpnGatewayID.NotFound InvalidCustomerGatewayID.NotFound InvalidLaunchTemplateId.NotFound "
    "InvalidLaunchTemplateName.NotFoundException "
    "ResourceNotFoundException NotFound NoSuchEntity InvalidPermission.NotFound NoSuchHostedZone "
    "NoSuchDistribution NoSuchCloudFrontOriginAccessIdentity NotFoundException "
)
_PROTECTED = "OperationNotPermitted CannotDelete InvalidGroup.Reserved UnmodifiableEntity"
_DENIED = (
    "AccessDenied AccessDeniedException UnauthorizedOperation AuthorizationError "
    "UnauthorizedAccess InsufficientPrivilegesException "
)

ERROR_TABLE: dict[str, OutcomeKind] = {
    **{code: OutcomeKind.THROTTLED for code in _THROTTLED.split()},
    **{code: OutcomeKind.NOT_YET for code in _NOT_YET.split()},
    **{code: OutcomeKind.GONE for code in _GONE.split()},
    **{code: OutcomeKind.PROTECTED for code in _PROTECTED.split()},
    **{code: OutcomeKind.DENIED for code in _DENIED.split()},
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
        if error_code(error) in _THROTTLED.split():
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
