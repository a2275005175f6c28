from __future__ import annotations

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.rds import RdsGroupHandler

SPEC = ResourceTypeSpec(
    key="rds:db-parameter-group",
    # a parameter group a DB instance uses cannot be deleted (InvalidDBParameterGroupState)
    requires=("rds:db-instance",),
    description="RDS DB parameter groups (never AWS's default.*)",
)


class RdsDbParameterGroupHandler(RdsGroupHandler):
    spec = SPEC
    free_because = "DB parameter groups have no charge"
    list_call, items_key = "describe_db_parameter_groups", "DBParameterGroups"
    id_key, arn_key, default_prefix = "DBParameterGroupName", "DBParameterGroupArn", "default."
    delete_call, delete_param = "delete_db_parameter_group", "DBParameterGroupName"
    iam_actions = ("rds:DescribeDBParameterGroups", "rds:ListTagsForResource", "rds:DeleteDBParameterGroup")
