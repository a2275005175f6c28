from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costzero.domain.resources import Action, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.toggle import StatusToggleHandler

SPEC = ResourceTypeSpec(
    key="rds:db-instance",
    transition_seconds=240.0,  # stopping -> stopped, starting -> available: minutes (an estimate)
    # what uses a database is parked before it, and started after it
    requires=("ec2:instance", "ecs:service", "lambda:function", "autoscaling:group"),
    actions=frozenset({Action.STOP, Action.START}),
    description="RDS DB instances (stopped; AWS starts them again after 7 days: `status` warns)",
)


class RdsDbInstanceHandler(StatusToggleHandler):
    spec = SPEC
    describe, items_key, id_key, status_key = (
        "describe_db_instances",
        "DBInstances",
        "DBInstanceIdentifier",
        "DBInstanceStatus",
    )
    stop_call, start_call, stopped = "stop_db_instance", "start_db_instance", "stopped"
    moving = frozenset(
        {"starting", "stopping", "rebooting", "modifying", "backing-up", "upgrading", "creating"}
    )
    not_found = frozenset({"DBInstanceNotFound", "DBInstanceNotFoundFault"})

    def extra(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"cluster": item.get("DBClusterIdentifier"), "engine": item.get("Engine")}

    def unparkable(self, resource: Resource) -> str | None:
        cluster = resource.attributes.get("cluster")
        return f"member of DB cluster {cluster}: park the cluster (rds:db-cluster)" if cluster else None
