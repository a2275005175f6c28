from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.rds import RdsGroupHandler

SPEC = ResourceTypeSpec(
    key="rds:db-subnet-group",
    requires=(
        # a subnet group in use by a DB instance or cluster cannot be deleted (InvalidDBSubnetGroupStateFault)
        "rds:db-instance",
        "rds:db-cluster",
    ),
    description="RDS DB subnet groups (the default VPC's only with --include-defaults)",
)


class RdsDbSubnetGroupHandler(RdsGroupHandler):
    spec = SPEC
    free_because = "DB subnet groups have no charge"
    list_call, items_key = "describe_db_subnet_groups", "DBSubnetGroups"
    id_key, arn_key, default_prefix = "DBSubnetGroupName", "DBSubnetGroupArn", "default"
    delete_call, delete_param = "delete_db_subnet_group", "DBSubnetGroupName"
    iam_actions = ("rds:DescribeDBSubnetGroups", "rds:ListTagsForResource", "rds:DeleteDBSubnetGroup")

    def include(self, item: Mapping[str, Any]) -> bool:
        """The group named "default" (the default VPC's, made by the console) is a default part."""
        name = str(item[self.id_key])
        return self.options.include_defaults or not (name == "default" or name.startswith("default-vpc-"))

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"vpc": item.get("VpcId")}
