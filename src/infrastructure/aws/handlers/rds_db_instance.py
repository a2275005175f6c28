from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.domain.safety import HELD
from costzero.infrastructure.aws.handler_kit.base import chunked, done, each, pending
from costzero.infrastructure.aws.handler_kit.price_keys import rds_instance_usage_type
from costzero.infrastructure.aws.handler_kit.rds import (
    delete_errors,
    final_snapshot_name,
    protected,
    tag_final_snapshots,
)
from costzero.infrastructure.aws.handler_kit.toggle import StatusToggleHandler

SPEC = ResourceTypeSpec(
    key="rds:db-instance",
    # stopping -> stopped, starting -> available, deleting -> gone: minutes (an estimate)
    transition_seconds=240.0,
    # what uses a database is parked (or deleted) before it, and started after it
    requires=("ec2:instance", "ecs:service", "lambda:function", "autoscaling:group"),
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    description=(
        "RDS DB instances (stopped; AWS starts them again after 7 days: `status` warns; deleted with a"
        " final snapshot unless skip_final_snapshot)"
    ),
    final_snapshot=True,
)
RDS = "AmazonRDS"
# storage type -> (usage type of its GB-months, of its provisioned IOPS-months), single-AZ; Multi-AZ
# instances bill the same usage types with "Multi-AZ-" after "RDS:" (two copies, twice the price)
STORAGE_USAGE = {
    "gp2": ("RDS:GP2-Storage", None),
    "gp3": ("RDS:GP3-Storage", "RDS:GP3-PIOPS"),  # IOPS only above the included baseline
    "io1": ("RDS:PIOPS-Storage", "RDS:PIOPS"),
    "io2": ("RDS:IO2-PIOPS-Storage", "RDS:IO2-PIOPS"),
    "standard": ("RDS:StorageUsage", None),  # magnetic (its I/O requests are billed per use)
}


def gp3_baseline_iops(engine: str, gib: float) -> int:
    """The IOPS a gp3 volume includes: 3,000, or 12,000 from 400 GiB (200 GiB for Oracle; SQL Server
    always 3,000)."""
    if engine.startswith("sqlserver"):
        return 3000
    return 12000 if gib >= (200 if engine.startswith("oracle") else 400) else 3000


MULTI_AZ_CLUSTER_ENGINES = frozenset({"mysql", "postgres"})  # members of a Multi-AZ DB cluster
# AWS cannot snapshot an instance in these states: only a delete without a final snapshot works
UNSNAPSHOTTABLE = frozenset({"failed", "incompatible-restore", "incompatible-network"})
DESCRIBE_FILTER_VALUES = 100  # ids per describe filter (an estimate of RDS's limit, kept small)


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
    # shown only for instances that declare no usage: stopped members of a cluster
    free_because = "stopped; its storage is billed with its cluster (rds:db-cluster)"

    def extra(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "cluster": item.get("DBClusterIdentifier"),
            "engine": item.get("Engine"),
            "instance_class": item.get("DBInstanceClass"),
            "multi_az": bool(item.get("MultiAZ")),
            "deletion_protection": bool(item.get("DeletionProtection")),
            "replica_of": item.get("ReadReplicaSourceDBInstanceIdentifier"),
            "storage": {
                "type": item.get("StorageType"),
                "gib": item.get("AllocatedStorage"),
                "iops": item.get("Iops"),
                "throughput": item.get("StorageThroughput"),
            },
        }

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        """The instances; those of an Aurora cluster in a global database are held at plan time,
        as their cluster is (deleting a member's instances would leave a kept cluster headless)."""
        found = super().discover(location, regions)
        clusters = {str(r.attributes["cluster"]) for r in found if r.attributes.get("cluster")}
        if not clusters:
            return found
        try:
            pages = self.client(location).get_paginator("describe_db_clusters").paginate()
            members = {
                c["DBClusterIdentifier"]: c["GlobalClusterIdentifier"]
                for page in pages
                for c in page.get("DBClusters", [])
                if c.get("GlobalClusterIdentifier")
            }
        except (ClientError, BotoCoreError):
            members = {}  # unreadable: the cluster's own plan, and AWS's refusals, still hold
        return [_held_in(r, members) for r in found]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Instance hours (none while stopped) and, outside Aurora, the provisioned storage and IOPS,
        billed while the instance exists (also stopped). An Aurora instance's storage belongs to its
        cluster (rds:db-cluster). Backups beyond the free allowance and I/O are billed per use.

        Instance hours are keyed with the engine (see handler_kit/price_keys.py); the licensed
        engines get no price and stay unknown."""
        attributes = resource.attributes
        engine = str(attributes.get("engine") or "")
        multi_az = bool(attributes.get("multi_az"))
        storage = attributes.get("storage") or {}
        usages = []
        if attributes.get("settings", {}).get("status") != self.stopped:
            instance_class = str(attributes.get("instance_class"))
            in_cluster = bool(attributes.get("cluster"))
            usages.append(self._hours(engine, instance_class, multi_az, storage, in_cluster))
        if not engine.startswith("aurora") and not attributes.get("cluster"):
            usages.extend(_storage(engine, multi_az, storage))
        return tuple(usages)

    @staticmethod
    def _hours(
        engine: str, instance_class: str, multi_az: bool, storage: Mapping[str, Any], in_cluster: bool
    ) -> Usage:
        if instance_class == "db.serverless":  # Aurora Serverless v2: ACUs follow the load
            io_optimized = storage.get("type") == "aurora-iopt1"
            usage_type = "Aurora:ServerlessV2IOOptimizedUsage" if io_optimized else "Aurora:ServerlessV2Usage"
            return Usage(RDS, usage_type, "ACU-Hr", None, note="ACUs follow the load")
        if engine.startswith("aurora"):  # no Multi-AZ option: replicas are instances of their own
            kind = "InstanceUsageIOOptimized" if storage.get("type") == "aurora-iopt1" else "InstanceUsage"
        elif in_cluster:  # a member of a Multi-AZ DB cluster (readable standbys)
            kind = "Multi-AZClusterUsage"
        else:
            kind = "Multi-AZUsage" if multi_az else "InstanceUsage"
        note = f"{instance_class} {engine}{' Multi-AZ' if multi_az else ''}"
        return Usage(RDS, rds_instance_usage_type(f"{kind}:{instance_class}", engine), "Hrs", 1.0, note=note)

    def unparkable(self, resource: Resource) -> str | None:
        cluster = resource.attributes.get("cluster")
        return f"member of DB cluster {cluster}: park the cluster (rds:db-cluster)" if cluster else None

    iam_actions = (
        "rds:DescribeDBInstances",
        "rds:DescribeDBClusters",  # which instances belong to a member of a global database
        "rds:StopDBInstance",
        "rds:StartDBInstance",
        "rds:ModifyDBInstance",  # only to turn deletion protection off, when allowed
        "rds:DeleteDBInstance",
        "rds:CreateDBSnapshot",  # the final snapshot a delete asks for
        "rds:DescribeDBSnapshots",
        "rds:AddTagsToResource",  # tags the final snapshot
    )

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """One DeleteDBInstance each (no batch API). A standalone instance keeps a final snapshot
        unless the user set skip_final_snapshot; members of Aurora (and DocumentDB, Neptune)
        clusters and read replicas have none of their own (their data lives in the cluster, or
        the source). Members of a Multi-AZ DB cluster cannot be deleted alone: they go with it."""
        rds = self.client(location)

        def delete(db: Resource) -> ResourceOutcome:
            attributes = db.attributes
            status = attributes.get("settings", {}).get("status")
            if status == "deleting":
                return pending(db.id, "deleting")
            cluster, engine = attributes.get("cluster"), str(attributes.get("engine") or "")
            if cluster and engine in MULTI_AZ_CLUSTER_ENGINES:
                # AWS deletes it with its cluster: not yet while it exists (DBInstanceNotFound: gone),
                # the cluster named so that one this run keeps blocks it at once
                rds.describe_db_instances(DBInstanceIdentifier=db.id)
                message = f"deleted with its Multi-AZ DB cluster {cluster} (rds:db-cluster)"
                return ResourceOutcome(db.id, OutcomeKind.NOT_YET, message, (str(cluster),))
            snapshot = not (self.options.skip_final_snapshot or cluster or attributes.get("replica_of"))
            if snapshot and status in UNSNAPSHOTTABLE:
                return ResourceOutcome(
                    db.id,
                    OutcomeKind.FAILED,
                    f"AWS cannot take a final snapshot of an instance in state {status};"
                    " set skip_final_snapshot to delete it without one",
                )
            if attributes.get("deletion_protection"):
                if not self.options.may_disable_protection(self.spec.key):
                    return protected(db.id, self.spec.key)
                rds.modify_db_instance(
                    DBInstanceIdentifier=db.id, DeletionProtection=False, ApplyImmediately=True
                )
            if not snapshot:
                rds.delete_db_instance(DBInstanceIdentifier=db.id, SkipFinalSnapshot=True)
                return pending(db.id, "deleting, no final snapshot")
            name = final_snapshot_name(db.id)
            rds.delete_db_instance(
                DBInstanceIdentifier=db.id, SkipFinalSnapshot=False, FinalDBSnapshotIdentifier=name
            )
            return pending(db.id, f"deleting; final snapshot {name} kept (rds:db-snapshot)")

        return each(resources, delete, "rds:DeleteDBInstance", delete_errors(self.spec.key))

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        rds = self.client(location)
        statuses: dict[str, str] = {}
        for batch in chunked([r.id for r in resources], DESCRIBE_FILTER_VALUES):
            pages = rds.get_paginator(self.describe).paginate(
                Filters=[{"Name": "db-instance-id", "Values": list(batch)}]
            )
            statuses.update(
                {i[self.id_key]: i[self.status_key] for page in pages for i in page[self.items_key]}
            )
        outcomes = []
        for db in resources:
            if db.id in statuses:
                outcomes.append(pending(db.id, statuses[db.id]))
                continue
            if not (
                self.options.skip_final_snapshot
                or db.attributes.get("cluster")
                or db.attributes.get("replica_of")
            ):
                tag_final_snapshots(rds, db.id, cluster=False)
            outcomes.append(done(db.id))
        return outcomes


def _held_in(db: Resource, members: Mapping[str, str]) -> Resource:
    database = members.get(str(db.attributes.get("cluster")))
    if database is None:
        return db
    why = (
        f"an instance of cluster {db.attributes['cluster']}, a member of Aurora global database {database}:"
        " delete the global database first, then run destroy again"
    )
    return replace(db, attributes={**db.attributes, HELD: why})


def _storage(engine: str, multi_az: bool, storage: Mapping[str, Any]) -> list[Usage]:
    kind, gib, iops = storage.get("type"), storage.get("gib"), storage.get("iops")
    usage_types = STORAGE_USAGE.get(str(kind))
    if usage_types is None:
        unknown = f"RDS storage of type {kind}"  # no usage type known here: unknown, never zero
        return [Usage(RDS, unknown, "GB-Mo", None, CostPart.STORAGE, monthly=True)]
    # SQL Server's Multi-AZ (mirroring) storage has usage types of its own ("RDS:Mirror-..."), not
    # priced here: unknown rather than priced as another engine's Multi-AZ storage
    copies = "Mirror-" if engine.startswith("sqlserver") else "Multi-AZ-"
    volume, provisioned = (
        (t.replace("RDS:", f"RDS:{copies}", 1) if t and multi_az else t) for t in usage_types
    )
    gb = float(gib) if gib is not None else None
    usages = [Usage(RDS, str(volume), "GB-Mo", gb, CostPart.STORAGE, monthly=True, note=f"{gib} GiB {kind}")]
    if provisioned and iops:
        extra = float(iops) - (gp3_baseline_iops(engine, gb or 0.0) if kind == "gp3" else 0)
        if extra > 0:
            note = f"{extra:.0f} IOPS" + (" above the gp3 baseline" if kind == "gp3" else "")
            usages.append(
                Usage(RDS, provisioned, "IOPS-Mo", extra, CostPart.STORAGE, monthly=True, note=note)
            )
    throughput = storage.get("throughput")
    if kind == "gp3" and throughput:
        extra = float(throughput) - (500 if gp3_baseline_iops(engine, gb or 0.0) > 3000 else 125)
        if extra > 0:  # not priced here: unknown, never a silent zero
            note = f"{extra:.0f} MiBps above the gp3 baseline"
            usages.append(Usage(RDS, "RDS:GP3-Throughput", "MiBps-Mo", extra, CostPart.STORAGE, True, note))
    return usages
