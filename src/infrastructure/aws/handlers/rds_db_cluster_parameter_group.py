from __future__ import annotations

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.rds import RdsGroupHandler

SPEC = ResourceTypeSpec(
    key="rds:db-cluster-parameter-group",
    # a cluster parameter group a DB cluster uses cannot be deleted (InvalidDBParameterGroupState)
    requires=("rds:db-cluster",),
    description="RDS DB cluster parameter groups (never AWS's default.*)",
)


class RdsDbClusterParameterGroupHandler(RdsGroupHandler):
    spec = SPEC
    free_because = "DB cluster parameter groups have no charge"
    list_call, items_key = "describe_db_cluster_parameter_groups", "DBClusterParameterGroups"
    id_key, arn_key = "DBClusterParameterGroupName", "DBClusterParameterGroupArn"
    default_prefix = "default."
    delete_call, delete_param = "delete_db_cluster_parameter_group", "DBClusterParameterGroupName"
    iam_actions = (
        "rds:DescribeDBClusterParameterGroups",
        "rds:ListTagsForResource",
        "rds:DeleteDBClusterParameterGroup",
    )
