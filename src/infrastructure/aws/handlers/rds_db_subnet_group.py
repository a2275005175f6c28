from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.rds import RdsGroupHandler

SPEC = ResourceTypeSpec(
    key="rds:db-subnet-group",
    requires=(
        # a subnet group in use by a DB instance or cluster cannot be deleted (InvalidDBSubnetGroupStateFault)
        "rds:db-instance",
        "rds:db-cluster",
    ),
    # discovery links each group to the databases in it: one the run leaves blocks it at once
    linked_requires=("rds:db-instance", "rds:db-cluster"),
    description="RDS DB subnet groups (the default VPC's only with --include-defaults)",
)


class RdsDbSubnetGroupHandler(RdsGroupHandler):
    spec = SPEC
    free_because = "DB subnet groups have no charge"
    list_call, items_key = "describe_db_subnet_groups", "DBSubnetGroups"
    id_key, arn_key, default_prefix = "DBSubnetGroupName", "DBSubnetGroupArn", "default"
    delete_call, delete_param = "delete_db_subnet_group", "DBSubnetGroupName"
    iam_actions = (
        "rds:DescribeDBSubnetGroups",
        "rds:DescribeDBInstances",
        "rds:DescribeDBClusters",
        "rds:ListTagsForResource",
        "rds:DeleteDBSubnetGroup",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        groups = super().discover(location, regions)
        if not groups:
            return groups
        rds = self.client(location)
        users: dict[str, list[Link]] = {}
        for page in rds.get_paginator("describe_db_instances").paginate():
            for db in page.get("DBInstances", []):
                if name := (db.get("DBSubnetGroup") or {}).get("DBSubnetGroupName"):
                    users.setdefault(name, []).append(
                        Link("rds:db-instance", db["DBInstanceIdentifier"], "used by")
                    )
        for page in rds.get_paginator("describe_db_clusters").paginate():
            for cluster in page.get("DBClusters", []):
                if name := cluster.get("DBSubnetGroup"):
                    users.setdefault(name, []).append(
                        Link("rds:db-cluster", cluster["DBClusterIdentifier"], "used by")
                    )
        return [replace(g, links=tuple(users.get(g.id, ()))) for g in groups]

    def include(self, item: Mapping[str, Any]) -> bool:
        """The group named "default" (the default VPC's, made by the console) is a default part."""
        name = str(item[self.id_key])
        return self.options.include_defaults or not (name == "default" or name.startswith("default-vpc-"))

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"vpc": item.get("VpcId")}
