from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Link, Location, Resource, ResourceTypeSpec
from costzero.domain.safety import HELD
from costzero.infrastructure.aws.handler_kit.base import chunked, done, each, pending
from costzero.infrastructure.aws.handler_kit.metrics import MetricQuery, latest_values
from costzero.infrastructure.aws.handler_kit.rds import (
    delete_errors,
    final_snapshot_name,
    protected,
    tag_final_snapshots,
)
from costzero.infrastructure.aws.handler_kit.toggle import StatusToggleHandler

SPEC = ResourceTypeSpec(
    key="rds:db-cluster",
    # stopping -> stopped, starting -> available, deleting -> gone: minutes (an estimate)
    transition_seconds=300.0,
    requires=(
        "ec2:instance",  # what uses a database goes first, as for rds:db-instance
        "ecs:service",
        "lambda:function",
        "autoscaling:group",
        # AWS refuses to delete an Aurora cluster that still has instances (InvalidDBClusterStateFault)
        "rds:db-instance",
    ),
    linked_requires=("rds:db-instance",),  # discovery links each Aurora cluster to its members
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    description=(
        "Aurora and Multi-AZ DB clusters (stopped; AWS starts them again after 7 days; deleted with a"
        " final snapshot unless skip_final_snapshot)"
    ),
    final_snapshot=True,
)
RDS = "AmazonRDS"
GIB = 2**30
VOLUME_METRIC = ("AWS/RDS", "VolumeBytesUsed")  # the Aurora cluster volume AWS bills, published hourly
# a Multi-AZ DB cluster's members (mysql, postgres) are deleted with it, not before it
MULTI_AZ_CLUSTER_ENGINES = frozenset({"mysql", "postgres"})
DESCRIBE_FILTER_VALUES = 100


class RdsDbClusterHandler(StatusToggleHandler):
    """A cluster's own charge is its storage; its instances are rds:db-instance resources.

    Aurora global databases. AWS deletes no cluster while it is a member of a global database
    (a primary with secondaries answers InvalidGlobalClusterStateFault, a secondary must be
    removed from it first, RemoveFromGlobalCluster, which turns it into a standalone cluster that
    can be written to). costzero keeps every member: discovery records its global database
    (GlobalClusterIdentifier, and DescribeGlobalClusters for the regions its members are in), and
    the delete answers BLOCKED without a call, naming the global database and its regions. Taking
    the database apart would change clusters in every region it spans, some maybe outside the
    selection, and promote secondaries to writers: that is left to the user (remove the
    secondaries, then the primary, delete the global database, then run destroy again). The
    member's instances are rds:db-instance resources and are not held back by this (their type
    knows nothing of the global database).
    """

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
            "deletion_protection": bool(item.get("DeletionProtection")),
            "members": [m["DBInstanceIdentifier"] for m in item.get("DBClusterMembers", [])],
            "arn": item.get("DBClusterArn"),
            "global_cluster": item.get("GlobalClusterIdentifier") or None,  # completed by discover
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
        found = [
            replace(c, attributes={**c.attributes, "volume_bytes": volumes.get(c.id)}) if _is_aurora(c) else c
            for c in found
        ]
        databases = self._global_databases(location) if aurora else {}
        found = [
            replace(c, attributes={**c.attributes, "global_cluster": _membership(c, databases)})
            if _is_aurora(c)
            else c
            for c in found
        ]
        return [replace(c, links=_member_links(c), attributes=_held(c)) for c in found]

    def _global_databases(self, location: Location) -> dict[str, dict[str, Any]] | None:
        """The account's Aurora global databases, by member cluster ARN: their identifier, the
        regions of their members, and whether that member is the writer (primary). None when
        DescribeGlobalClusters cannot be read: members named by GlobalClusterIdentifier are kept
        all the same, with their regions unknown."""
        try:
            pages = self.client(location).get_paginator("describe_global_clusters").paginate()
            databases = [g for page in pages for g in page.get("GlobalClusters", [])]
        except (ClientError, BotoCoreError):
            return None
        by_member: dict[str, dict[str, Any]] = {}
        for database in databases:
            members = database.get("GlobalClusterMembers", [])
            regions = sorted({_arn_region(m.get("DBClusterArn", "")) for m in members} - {""})
            for member in members:
                by_member[str(member.get("DBClusterArn"))] = {
                    "id": database.get("GlobalClusterIdentifier"),
                    "regions": regions,
                    "writer": bool(member.get("IsWriter")),
                }
        return by_member

    iam_actions = (
        "rds:DescribeDBClusters",
        "rds:DescribeGlobalClusters",  # members of a global database are kept
        "cloudwatch:GetMetricData",  # the Aurora volume size
        "rds:StopDBCluster",
        "rds:StartDBCluster",
        "rds:ModifyDBCluster",  # only to turn deletion protection off, when allowed
        "rds:DeleteDBCluster",
        "rds:CreateDBClusterSnapshot",  # the final snapshot a delete asks for
        "rds:DescribeDBClusterSnapshots",
        "rds:AddTagsToResource",  # tags the final snapshot
    )

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """One DeleteDBCluster each, once its members are gone (Aurora) or with them (a Multi-AZ DB
        cluster deletes its own), keeping a final cluster snapshot unless skip_final_snapshot."""
        rds = self.client(location)

        def delete(cluster: Resource) -> ResourceOutcome:
            attributes = cluster.attributes
            if attributes.get("settings", {}).get("status") == "deleting":
                return pending(cluster.id, "deleting")
            if attributes.get("global_cluster"):
                return _global_member(cluster.id, attributes["global_cluster"])
            if attributes.get("deletion_protection"):
                if not self.options.may_disable_protection(self.spec.key):
                    return protected(cluster.id, self.spec.key)
                rds.modify_db_cluster(
                    DBClusterIdentifier=cluster.id, DeletionProtection=False, ApplyImmediately=True
                )
            if self.options.skip_final_snapshot:
                rds.delete_db_cluster(DBClusterIdentifier=cluster.id, SkipFinalSnapshot=True)
                return pending(cluster.id, "deleting, no final snapshot")
            name = final_snapshot_name(cluster.id)
            rds.delete_db_cluster(
                DBClusterIdentifier=cluster.id, SkipFinalSnapshot=False, FinalDBSnapshotIdentifier=name
            )
            return pending(cluster.id, f"deleting; final snapshot {name} kept (rds:db-cluster-snapshot)")

        members = {c.id: tuple(c.attributes.get("members", ())) for c in resources}
        table = delete_errors(self.spec.key)

        def on_error(cluster: str, error: ClientError, operation: str) -> ResourceOutcome:
            """A cluster that still has instances names its members as the blockers: members this
            run does not delete (a tag kept them) block it at once instead of being waited for."""
            answer = table(cluster, error, operation)
            if answer.kind is OutcomeKind.NOT_YET and members.get(cluster):
                return ResourceOutcome(cluster, answer.kind, answer.message, members[cluster])
            return answer

        return each(resources, delete, "rds:DeleteDBCluster", on_error)

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        rds = self.client(location)
        statuses: dict[str, str] = {}
        for batch in chunked([r.id for r in resources], DESCRIBE_FILTER_VALUES):
            pages = rds.get_paginator(self.describe).paginate(
                Filters=[{"Name": "db-cluster-id", "Values": list(batch)}]
            )
            statuses.update(
                {c[self.id_key]: c[self.status_key] for page in pages for c in page[self.items_key]}
            )
        outcomes = []
        for cluster in resources:
            if cluster.id in statuses:
                outcomes.append(pending(cluster.id, statuses[cluster.id]))
                continue
            if not self.options.skip_final_snapshot:
                tag_final_snapshots(rds, cluster.id, cluster=True)
            outcomes.append(done(cluster.id))
        return outcomes

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


def _member_links(cluster: Resource) -> tuple[Link, ...]:
    """Members that must be gone first: all but those of a Multi-AZ DB cluster, which go with it."""
    if str(cluster.attributes.get("engine") or "") in MULTI_AZ_CLUSTER_ENGINES:
        return ()
    return tuple(Link("rds:db-instance", m, "has member") for m in cluster.attributes.get("members", []))


def _membership(
    cluster: Resource, databases: Mapping[str, Mapping[str, Any]] | None
) -> dict[str, Any] | None:
    """The global database `cluster` belongs to (None: none), found by its ARN among the members
    DescribeGlobalClusters lists, or by its own GlobalClusterIdentifier (regions then unknown)."""
    named = cluster.attributes.get("global_cluster")
    found = (databases or {}).get(str(cluster.attributes.get("arn")))
    if found is not None:
        return dict(found)
    if named:
        return {"id": named, "regions": None, "writer": None}
    return None


def _arn_region(arn: str) -> str:
    """arn:aws:rds:<region>:<account>:cluster:<id> -> <region>."""
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 else ""


def _held(cluster: Resource) -> Mapping[str, Any]:
    """A global database's member is held at plan time, with the reason its delete would give."""
    database = cluster.attributes.get("global_cluster")
    if not database:
        return cluster.attributes
    return {**cluster.attributes, HELD: _global_member(cluster.id, database).message}


def _global_member(cluster: str, database: Mapping[str, Any]) -> ResourceOutcome:
    regions = database.get("regions")
    spans = f"spans {', '.join(regions)}" if regions else "its regions could not be read"
    writer = database.get("writer")
    role = "member" if writer is None else "primary" if writer else "secondary"
    return ResourceOutcome(
        cluster,
        OutcomeKind.BLOCKED,
        f"{role} of Aurora global database {database.get('id')} ({spans}): AWS deletes no member of a"
        " global database; delete the global database first (remove its secondary clusters, then"
        " the primary, then delete it), then run destroy again",
    )


def _is_aurora(resource: Resource) -> bool:
    return str(resource.attributes.get("engine") or "").startswith("aurora")
