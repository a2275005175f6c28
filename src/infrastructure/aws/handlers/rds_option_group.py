from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import each
from costzero.infrastructure.aws.handler_kit.rds import RdsGroupHandler

SPEC = ResourceTypeSpec(
    key="rds:option-group",
    requires=(
        "rds:db-instance",  # an option group a DB instance uses cannot be deleted
        "rds:db-snapshot",  # nor one a DB snapshot refers to (InvalidOptionGroupStateFault)
    ),
    description="RDS option groups (never AWS's default:*)",
)


class RdsOptionGroupHandler(RdsGroupHandler):
    spec = SPEC
    free_because = "option groups have no charge (their options bill with the instance)"
    list_call, items_key = "describe_option_groups", "OptionGroupsList"
    id_key, arn_key, default_prefix = "OptionGroupName", "OptionGroupArn", "default:"
    delete_call, delete_param = "delete_option_group", "OptionGroupName"
    iam_actions = ("rds:DescribeOptionGroups", "rds:ListTagsForResource", "rds:DeleteOptionGroup")

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        rds = self.client(location)
        return each(
            resources, lambda g: rds.delete_option_group(OptionGroupName=g.id), "rds:DeleteOptionGroup", _held
        )


def _held(group: str, error: ClientError, operation: str) -> ResourceOutcome:
    """Snapshots go before option groups, so a snapshot still holding one is a snapshot this run
    keeps (a final snapshot, one excluded by a tag): waiting would not free it."""
    if error_code(error) == "InvalidOptionGroupStateFault" and "snapshot" in error_message(error).lower():
        return ResourceOutcome(
            group, OutcomeKind.BLOCKED, f"{error_message(error)} (a snapshot this run keeps refers to it)"
        )
    return outcome(group, error, operation)
