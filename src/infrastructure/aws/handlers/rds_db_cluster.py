from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.metrics import MetricQuery, latest_values
from costzero.infrastructure.aws.handler_kit.toggle import StatusToggleHandler

SPEC = ResourceTypeSpec(
    key="rds:db-cluster",
    transition_seconds=300.0,  # stopping -> stopped, starting -> available: minutes (an estimate)
    requires=("ec2:instance", "ecs:service", "lambda:function", "autoscaling:group"),  # as rds:db-instance
    actions=frozenset({Action.STOP, Action.START}),
    description="Aurora and Multi-AZ DB clusters (stopped; AWS starts them again after 7 days)",
)
RDS = "AmazonRDS"
GIB = 2**30
VOLUME_METRIC = ("AWS/RDS", "VolumeBytesUsed")  # the Aurora cluster volume AWS bills, published hourly


class RdsDbClusterHandler(StatusToggleHandler):
    """A cluster's own charge is its storage; its instances are rds:db-instance resources."""

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

    def extra(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "engine": item.get("Engine"),
            "engine_mode": item.get("EngineMode"),
            "capacity": item.get("Capacity"),  # Aurora Serverless v1 ACUs now
            "storage": {
                "type": item.get("StorageType"),
                "gib": item.get("AllocatedStorage"),
                "iops": item.get("Iops"),
            },
        }

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        """Aurora clusters also get `volume_bytes`: the latest VolumeBytesUsed (None when CloudWatch
        has no datapoint or cannot be read)."""
        found = super().discover(location, regions)
        aurora = [c for c in found if _is_aurora(c)]
        volumes: dict[Any, float] = {}
        if aurora:
            queries = [
                MetricQuery(c.id, *VOLUME_METRIC, (("DbClusterIdentifier", c.id),), period=3600)
                for c in aurora
            ]
            try:
                volumes = latest_values(self.client(location, service="cloudwatch"), queries)
            except (ClientError, BotoCoreError):
                volumes = {}  # unreadable: the volumes stay unknown
        return [
            replace(c, attributes={**c.attributes, "volume_bytes": volumes.get(c.id)}) if _is_aurora(c) else c
            for c in found
        ]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Aurora: the storage the cluster volume uses (its I/O requests on Aurora Standard, and
        backups beyond the free allowance, are billed per use). Multi-AZ DB clusters (readable
        standbys): their provisioned storage, three copies under usage types of their own, not
        priced here. Storage bills while the cluster exists, stopped or not."""
        attributes = resource.attributes
        storage = attributes.get("storage") or {}
        if _is_aurora(resource):
            io_optimized = storage.get("type") == "aurora-iopt1"
            usage_type = "Aurora:IO-OptimizedStorageUsage" if io_optimized else "Aurora:StorageUsage"
            volume = attributes.get("volume_bytes")
            gb = None if volume is None else float(volume) / GIB
            note = "volume size unknown (no VolumeBytesUsed datapoint)" if gb is None else f"{gb:.3f} GB used"
            usages = [Usage(RDS, usage_type, "GB-Mo", gb, CostPart.STORAGE, monthly=True, note=note)]
            if attributes.get("engine_mode") == "serverless":  # Aurora Serverless v1: ACUs, paused at 0
                acus = attributes.get("capacity")
                usages.append(
                    Usage(
                        RDS,
                        "Aurora:ServerlessUsage",
                        "ACU-Hr",
                        None if acus is None else float(acus),
                        note=f"{acus} ACUs now",
                    )
                )
            return tuple(usages)
        gib = storage.get("gib")
        return (
            Usage(
                RDS,
                f"RDS:Multi-AZCluster-{str(storage.get('type')).upper()}-Storage",
                "GB-Mo",
                None if gib is None else float(gib),
                CostPart.STORAGE,
                monthly=True,
                note=f"{gib} GiB {storage.get('type')}, Multi-AZ DB cluster",
            ),
        )


def _is_aurora(resource: Resource) -> bool:
    return str(resource.attributes.get("engine") or "").startswith("aurora")
