from __future__ import annotations

from costzero.domain.resources import Action, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.toggle import StatusToggleHandler

SPEC = ResourceTypeSpec(
    key="rds:db-cluster",
    transition_seconds=300.0,  # stopping -> stopped, starting -> available: minutes (an estimate)
    requires=("ec2:instance", "ecs:service", "lambda:function", "autoscaling:group"),  # as rds:db-instance
    actions=frozenset({Action.STOP, Action.START}),
    description="Aurora and Multi-AZ DB clusters (stopped; AWS starts them again after 7 days)",
)


class RdsDbClusterHandler(StatusToggleHandler):
    spec = SPEC
    describe, items_key, id_key, status_key = (
        "describe_db_clusters",
        "DBClusters",
        "DBClusterIdentifier",
        "Status",
    )
    stop_call, start_call, stopped = "stop_db_cluster", "start_db_cluster", "stopped"
    moving = frozenset({"starting", "stopping", "modifying", "backing-up", "upgrading", "creating"})
    not_found = frozenset({"DBClusterNotFoundFault", "DBClusterNotFound"})
