"""SageMaker's shared quirks: tags by ARN, and "not found" reported as a ValidationException."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.infrastructure.aws.errors import error_code, error_message, outcome

# SageMaker answers a missing endpoint, endpoint config, model or notebook with the code every bad
# request shares, ValidationException; only the message tells "not found" apart ("Could not find
# endpoint ...", "Could not find model ...", "RecordNotFound" for notebooks).
_NOT_FOUND = ("Could not find", "RecordNotFound", "does not exist")


def is_not_found(error: ClientError) -> bool:
    return error_code(error) == "ValidationException" and any(
        marker in error_message(error) for marker in _NOT_FOUND
    )


def gone_if_not_found(resource_id: str, error: ClientError, action: str) -> ResourceOutcome:
    """The `each` error hook of SageMaker deletes: "not found" is GONE, the rest the error table."""
    if is_not_found(error):
        return ResourceOutcome(resource_id, OutcomeKind.GONE, error_message(error))
    return outcome(resource_id, error, action)


def list_tags(sagemaker: Any, arn: str) -> list[dict[str, str]]:
    """One resource's tags (ListTags pages)."""
    pages = sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn)
    return [tag for page in pages for tag in page.get("Tags", [])]
