"""Auto Scaling's way of saying "gone": a ValidationError whose message says "not found"."""

from __future__ import annotations

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.infrastructure.aws.errors import error_code, error_message, outcome


def not_found_is_gone(resource_id: str, error: ClientError, action: str) -> ResourceOutcome:
    """Auto Scaling answers a name it does not know (a group or launch configuration deleted since
    discovery) with the generic ValidationError, "... name not found - ... not found": that one is
    GONE; any other ValidationError goes through the error table (FAILED)."""
    if error_code(error) == "ValidationError" and "not found" in error_message(error).lower():
        return ResourceOutcome(resource_id, OutcomeKind.GONE, error_message(error))
    return outcome(resource_id, error, action)
