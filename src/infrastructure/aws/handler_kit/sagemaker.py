"""SageMaker quirks: tags by ARN; "not found" and "wrong state" are ValidationException messages."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.infrastructure.aws.errors import error_code, error_message, outcome

# SageMaker answers a missing endpoint, endpoint config, model or notebook with the code every bad
# request shares, ValidationException; only the message tells "not found" apart ("Could not find
# endpoint ...", "Could not find model ...", "RecordNotFound" for notebooks).
_NOT_FOUND = ("Could not find", "RecordNotFound", "does not exist")
# ... and a resource in the wrong state for the call the same way: "Status (InService) not in
# ([Stopped, Failed]). Unable to transition to (Deleting) for Notebook Instance (...)"
_WRONG_STATE = ("Unable to transition",)


def is_not_found(error: ClientError) -> bool:
    return error_code(error) == "ValidationException" and any(
        marker in error_message(error) for marker in _NOT_FOUND
    )


def sagemaker_outcome(resource_id: str, error: ClientError, action: str) -> ResourceOutcome:
    """The `each` error hook of SageMaker deletes: "not found" is GONE, "wrong state" NOT_YET, the
    rest the error table (another ValidationException: FAILED)."""
    if is_not_found(error):
        return ResourceOutcome(resource_id, OutcomeKind.GONE, error_message(error))
    if error_code(error) == "ValidationException" and any(m in error_message(error) for m in _WRONG_STATE):
        return ResourceOutcome(resource_id, OutcomeKind.NOT_YET, error_message(error))
    return outcome(resource_id, error, action)


def list_tags(sagemaker: Any, arn: str) -> list[dict[str, str]]:
    """One resource's tags (ListTags pages)."""
    pages = sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn)
    return [tag for page in pages for tag in page.get("Tags", [])]
