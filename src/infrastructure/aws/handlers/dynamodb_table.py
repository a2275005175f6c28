from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.change_limits import DYNAMODB_ON_DEMAND_SWITCHES_PER_WINDOW
from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Link, Location, Resource, ResourceTypeSpec
from costzero.domain.safety import HELD
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, read_tags

SPEC = ResourceTypeSpec(
    key="dynamodb:table",
    # UPDATING -> ACTIVE after a billing mode change, DELETING -> gone: seconds (an estimate)
    transition_seconds=20.0,
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    description="DynamoDB tables (parked: on-demand, auto scaling removed; data kept; or deleted)",
)
PROVISIONED, ON_DEMAND = "PROVISIONED", "PAY_PER_REQUEST"
DYNAMODB = "AmazonDynamoDB"
GIB = 2**30
INFREQUENT_ACCESS = "STANDARD_INFREQUENT_ACCESS"  # its usage types start "IA-"
SCALING = "application-autoscaling"
_POLICY_FIELDS = ("PolicyName", "PolicyType", "TargetTrackingScalingPolicyConfiguration")


def _table_tags(dynamodb: Any, arn: str) -> list[dict[str, str]]:
    pages = dynamodb.get_paginator("list_tags_of_resource").paginate(ResourceArn=arn)
    return [tag for page in pages for tag in page.get("Tags", [])]


class DynamoDbTableHandler(AwsHandler):
    """Settings: billing mode, table and GSI capacities, and the Application Auto Scaling targets and
    policies of the table and its indexes (deregistered while parked, registered again on start)."""

    spec = SPEC
    change_limit = DYNAMODB_ON_DEMAND_SWITCHES_PER_WINDOW

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        dynamodb = self.client(location)
        found = []
        for page in dynamodb.get_paginator("list_tables").paginate():
            for name in page.get("TableNames", []):
                table = dynamodb.describe_table(TableName=name)["Table"]
                replicas = _replica_regions(table, location.region)
                unselected = [r for r in replicas if r not in regions]
                found.append(
                    self.resource(
                        location,
                        name,
                        name=name,
                        tags=read_tags(_table_tags, dynamodb, table["TableArn"]),
                        attributes={
                            "settings": self._settings(location, table),
                            "size_bytes": _size_bytes(table),
                            "table_class": table.get("TableClassSummary", {}).get("TableClass", "STANDARD"),
                            "deletion_protection": bool(table.get("DeletionProtectionEnabled")),
                            "replicas": replicas,
                            "replicas_unselected": unselected,
                            "global_table_version": table.get("GlobalTableVersion"),
                            **({HELD: _replicated_outside(name, unselected).message} if unselected else {}),
                        },
                        links=() if unselected else _next_replica(name, location.region, replicas),
                    )
                )
        return found

    def _settings(self, location: Location, table: Mapping[str, Any]) -> dict[str, Any]:
        name = table["TableName"]
        billing = table.get("BillingModeSummary", {}).get("BillingMode", PROVISIONED)
        throughput = table.get("ProvisionedThroughput", {})
        gsis = {
            index["IndexName"]: [
                index.get("ProvisionedThroughput", {}).get("ReadCapacityUnits", 0),
                index.get("ProvisionedThroughput", {}).get("WriteCapacityUnits", 0),
            ]
            for index in table.get("GlobalSecondaryIndexes", [])
        }
        provisioned = billing == PROVISIONED
        return {
            "billing": billing,
            "capacity": [throughput.get("ReadCapacityUnits", 0), throughput.get("WriteCapacityUnits", 0)]
            if provisioned
            else None,
            "gsis": gsis if provisioned else {},
            "scaling": self._scaling(location, name, list(gsis)),
            "status": table.get("TableStatus"),
        }

    def _scaling(self, location: Location, name: str, indexes: list[str]) -> list[dict[str, Any]]:
        scaling = self.client(location, service=SCALING)
        ids = [f"table/{name}"] + [f"table/{name}/index/{index}" for index in indexes]
        targets = scaling.describe_scalable_targets(ServiceNamespace="dynamodb", ResourceIds=ids)
        result = []
        for target in sorted(
            targets["ScalableTargets"], key=lambda t: (t["ResourceId"], t["ScalableDimension"])
        ):
            policies = scaling.describe_scaling_policies(
                ServiceNamespace="dynamodb",
                ResourceId=target["ResourceId"],
                ScalableDimension=target["ScalableDimension"],
            )["ScalingPolicies"]
            result.append(
                {
                    "resource_id": target["ResourceId"],
                    "dimension": target["ScalableDimension"],
                    "min": target["MinCapacity"],
                    "max": target["MaxCapacity"],
                    "policies": sorted(
                        ({k: p[k] for k in _POLICY_FIELDS if k in p} for p in policies),
                        key=lambda p: str(p["PolicyName"]),
                    ),
                }
            )
        return result

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Provisioned tables: their read and write capacity (table and global secondary indexes),
        billed per hour, ended by parking (on-demand); every table: its storage. On-demand reads and
        writes are billed per request, not a standing charge. Free-tier capacity and storage are
        not deducted. The Standard-IA table class has usage types of its own ("IA-...")."""
        attributes = resource.attributes
        prefix = "IA-" if attributes.get("table_class") == INFREQUENT_ACCESS else ""
        settings = attributes.get("settings", {})
        usages = []
        if settings.get("billing") == PROVISIONED and settings.get("capacity"):
            reads, writes = settings["capacity"]
            for index_reads, index_writes in (settings.get("gsis") or {}).values():
                reads, writes = reads + index_reads, writes + index_writes
            for kind, units in (("ReadCapacityUnit-Hrs", reads), ("WriteCapacityUnit-Hrs", writes)):
                usages.append(Usage(DYNAMODB, prefix + kind, kind, float(units), note=f"{units} units"))
        size = attributes.get("size_bytes")
        gb = None if size is None else float(size) / GIB
        note = "size unknown" if gb is None else f"{gb:.3f} GB"
        usages.append(
            Usage(DYNAMODB, prefix + "TimedStorage-ByteHrs", "GB-Mo", gb, CostPart.STORAGE, True, note)
        )
        return tuple(usages)

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"billing": ON_DEMAND, "scaling": []}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("billing") == ON_DEMAND

    def in_transition(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("status") not in (None, "ACTIVE")

    def changes(self, current: Mapping[str, Any], target: Mapping[str, Any]) -> int:
        """Only provisioned -> on-demand switches are limited (4 per rolling 24 hours)."""
        return int(current.get("billing") == PROVISIONED and target.get("billing") == ON_DEMAND)

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        scaling, dynamodb = self.client(location, service=SCALING), self.client(location)

        def park(table: Resource) -> ResourceOutcome:
            for target in saved[table.id].get("scaling", []):  # first, or it would fight the switch
                scaling.deregister_scalable_target(
                    ServiceNamespace="dynamodb",
                    ResourceId=target["resource_id"],
                    ScalableDimension=target["dimension"],
                )
            dynamodb.update_table(TableName=table.id, BillingMode=ON_DEMAND)
            return pending(table.id, "switching to on-demand")

        return each(resources, park, "dynamodb:UpdateTable")

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        scaling, dynamodb = self.client(location, service=SCALING), self.client(location)

        def restore(table: Resource) -> ResourceOutcome:
            original = saved[table.id]
            if self._billing(location, table.id) != PROVISIONED:  # a resumed start may find it done
                read, write = original["capacity"]
                dynamodb.update_table(
                    TableName=table.id,
                    BillingMode=PROVISIONED,
                    ProvisionedThroughput={"ReadCapacityUnits": read, "WriteCapacityUnits": write},
                    GlobalSecondaryIndexUpdates=[
                        {
                            "Update": {
                                "IndexName": index,
                                "ProvisionedThroughput": {
                                    "ReadCapacityUnits": r,
                                    "WriteCapacityUnits": w,
                                },
                            }
                        }
                        for index, (r, w) in original.get("gsis", {}).items()
                    ],
                )
            for target in original.get("scaling", []):
                scaling.register_scalable_target(
                    ServiceNamespace="dynamodb",
                    ResourceId=target["resource_id"],
                    ScalableDimension=target["dimension"],
                    MinCapacity=target["min"],
                    MaxCapacity=target["max"],
                )
                for policy in target["policies"]:
                    scaling.put_scaling_policy(
                        ServiceNamespace="dynamodb",
                        ResourceId=target["resource_id"],
                        ScalableDimension=target["dimension"],
                        **policy,
                    )
            return pending(table.id, "switching to provisioned")

        return each(resources, restore, "dynamodb:UpdateTable")

    def _billing(self, location: Location, name: str) -> str:
        table = self.client(location).describe_table(TableName=name)["Table"]
        return str(table.get("BillingModeSummary", {}).get("BillingMode", PROVISIONED))

    iam_actions = (
        "dynamodb:ListTables",
        "dynamodb:DescribeTable",
        "dynamodb:ListTagsOfResource",
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:PutScalingPolicy",
        "dynamodb:UpdateTable",  # parking; and turning deletion protection off, when allowed
        "dynamodb:DeleteTable",
        "dynamodb:DeleteTableReplica",  # AWS asks for it too when the table is a global table's replica
    )

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """One DeleteTable each (no batch API); the table is DELETING for a while. Its on-demand
        backups stay (dynamodb:backup).

        Global tables (version 2019.11.21): each replica is a table of its own region, listed
        there, and DeleteTable deletes the replica of the region it is sent to, removing it from
        the global table (whose other replicas stay, a last one as a single-Region table).
        UpdateTable ReplicaUpdates Delete would do the same to another region's replica from here;
        it is not used: each replica is deleted by its own region's task, as any table.

        - A replica in a region the user did not select: this replica is BLOCKED, without a call.
          Deleting it would change the global table there (one replica fewer; a last one turned
          single-Region), and nothing outside the selection is touched. The user selects those
          regions too (or removes the replicas) to delete it.
        - Every replica region selected: the replicas go one at a time, in reverse region order
          (discovery links each replica to the next region's, see `_next_replica`), each confirmed
          gone (DescribeTable: ResourceNotFoundException) before the one linking to it is deleted,
          so that no two replica removals of one global table overlap. A replica a tag keeps holds
          back those that link to it, in turn.
        - AWS refuses, for 24 hours, to delete a replica that was the source of a new replica
          (ValidationException "... acted as a source region for new replica(s) ..."): BLOCKED,
          run destroy again later.
        """
        dynamodb = self.client(location)

        def delete(table: Resource) -> ResourceOutcome:
            unselected = table.attributes.get("replicas_unselected") or []
            if unselected:
                return _replicated_outside(table.id, unselected)
            if table.attributes.get("settings", {}).get("status") == "DELETING":
                return pending(table.id, "deleting")
            if table.attributes.get("deletion_protection"):
                if not self.options.may_disable_protection(self.spec.key):
                    return _protected(table.id)
                dynamodb.update_table(TableName=table.id, DeletionProtectionEnabled=False)
            dynamodb.delete_table(TableName=table.id)
            if table.attributes.get("replicas"):
                return pending(table.id, f"deleting the {location.region} replica of a global table")
            return pending(table.id, "deleting")

        return each(resources, delete, "dynamodb:DeleteTable", _delete_error)

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        dynamodb = self.client(location)

        def check(table: Resource) -> ResourceOutcome:
            status = dynamodb.describe_table(TableName=table.id)["Table"].get("TableStatus")
            return pending(table.id, str(status))

        outcomes = each(resources, check, "dynamodb:DescribeTable")
        return [done(o.resource_id) if o.kind is OutcomeKind.GONE else o for o in outcomes]

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        try:
            table = self.client(location).describe_table(TableName=resource.id)["Table"]
            return self._settings(location, table)
        except ClientError as error:
            if outcome(resource.id, error).kind is OutcomeKind.GONE:
                return None
            raise


def _protected(table: str) -> ResourceOutcome:
    return ResourceOutcome(
        table,
        OutcomeKind.PROTECTED,
        "deletion protection on; --disable-protection dynamodb:table to delete it",
    )


def _delete_error(table: str, error: ClientError, operation: str) -> ResourceOutcome:
    """DynamoDB refuses a protected table, and for 24 hours a replica that was the source of a new
    replica, with a plain ValidationException: read its message."""
    if error_code(error) == "ValidationException":
        message = error_message(error)
        if "protect" in message.lower():
            return _protected(table)
        if "source region" in message:
            return ResourceOutcome(
                table,
                OutcomeKind.BLOCKED,
                f"AWS keeps a global table replica for 24 hours after it was the source of a new"
                f" replica; run destroy again later ({message})",
            )
    return outcome(table, error, operation)


def _replica_regions(table: Mapping[str, Any], region: str) -> list[str]:
    """The regions of the table's other replicas (global tables, version 2019.11.21: DescribeTable's
    `Replicas`), sorted; empty for a single-Region table."""
    return sorted({str(r["RegionName"]) for r in table.get("Replicas", []) if r.get("RegionName")} - {region})


def _next_replica(name: str, region: str, replicas: Sequence[str]) -> tuple[Link, ...]:
    """The link that orders a global table's replica deletes: each replica waits for the one of the
    next region (in name order) to be gone; the last region's goes first, the first region's last."""
    ordered = sorted({*replicas, region})
    position = ordered.index(region)
    if position == len(ordered) - 1:
        return ()
    after = ordered[position + 1]
    return (Link("dynamodb:table", name, f"replicated to {after} as", region=after),)


def _replicated_outside(table: str, unselected: Sequence[str]) -> ResourceOutcome:
    regions = ", ".join(unselected)
    return ResourceOutcome(
        table,
        OutcomeKind.BLOCKED,
        f"global table with replicas in {regions}, not selected: deleting this replica would change the"
        f" global table there; select {regions} too to delete every replica",
    )


def _size_bytes(table: Mapping[str, Any]) -> int | None:
    """The table's and its indexes' bytes, as DescribeTable reports them (updated about every six
    hours); None when AWS gave no size."""
    size = table.get("TableSizeBytes")
    if size is None:
        return None
    indexes = table.get("GlobalSecondaryIndexes", []) + table.get("LocalSecondaryIndexes", [])
    return int(size) + sum(int(index.get("IndexSizeBytes", 0)) for index in indexes)
