"""The one error hierarchy of costzero.

Every error the core or an adapter raises on purpose derives from `CostZeroError`. The CLI maps the
categories to exit codes: `BadInputError` -> 2, `SafetyRefusal` -> 3, anything else -> 1.
"""


class CostZeroError(Exception):
    """Root of every error costzero raises on purpose."""


class BadInputError(CostZeroError):
    """The user's input (flags, config, names, state files) cannot be used. Nothing was changed."""


class RegistryError(BadInputError):
    """The resource-type registry is inconsistent: duplicate key, unknown `requires`, or a cycle."""


class UnknownSelectionError(BadInputError):
    """A region, service, type or account named by the user does not exist."""


class UnsupportedActionError(BadInputError):
    """The selection names a type (or a service) that cannot take the command's action, e.g.
    `destroy --type cloudwatch:alarm` (alarms are only parked)."""


class IllegalTransitionError(CostZeroError):
    """A task or resource action was asked to move to a state its lifecycle does not allow."""


class SafetyRefusal(CostZeroError):
    """A safety rule refused the run before any mutating call was made."""


class CloudError(CostZeroError):
    """The cloud provider answered with an error that is not a per-resource outcome."""


class TemporaryCloudError(CloudError):
    """A whole call was refused for now (throttled beyond the SDK's retries, a 5xx, "not yet"):
    the only kind of exception task work tries again."""


class ThrottledError(TemporaryCloudError):
    """AWS throttled a whole call beyond the SDK's retries: try again after a growing delay."""


class EndpointUnreachableError(BadInputError):
    """The AWS endpoint (or the configured AWS_ENDPOINT_URL) could not be reached."""


class CredentialsError(BadInputError):
    """No usable AWS credentials were found."""


class SnapshotExistsError(CostZeroError):
    """A resource already has an open park snapshot; snapshots are never overwritten."""
