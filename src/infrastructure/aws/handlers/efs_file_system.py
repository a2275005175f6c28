from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, tag_dict
from costzero.infrastructure.aws.handler_kit.efs import access_points, file_systems, mount_targets

SPEC = ResourceTypeSpec(
    key="efs:file-system",
    # DeleteFileSystem refuses while mount targets exist (FileSystemInUse); access points go with the
    # file system, but deleting them first lets a kept one hold its file system back. Discovery
    # links each file system to its own mount targets and access points.
    requires=("efs:mount-target", "efs:access-point"),
    linked_requires=("efs:mount-target", "efs:access-point"),
    # deleting -> gone: about 30 s; a replication configuration takes minutes to delete first, and
    # is checked again in the polls after it (an estimate)
    transition_seconds=30.0,
    description="EFS file systems (and all their files)",
)
EFS = "AmazonEFS"
GIB = 1024**3
# storage class -> usage type, for Regional and One Zone file systems (One Zone has no Archive class)
STORAGE = {
    "standard": ("TimedStorage-ByteHrs", "TimedStorage-Z-ByteHrs"),
    "ia": ("IATimedStorage-ByteHrs", "IATimedStorage-Z-ByteHrs"),
    "archive": ("ArchiveTimedStorage-ByteHrs", "ArchiveTimedStorage-ByteHrs"),
}


class EfsFileSystemHandler(AwsHandler):
    """DeleteFileSystem is asynchronous (deleting, then FileSystemNotFound). A file system with
    mount targets answers FileSystemInUse (not yet); one still creating
    IncorrectFileSystemLifeCycleState (not yet).

    Replication. AWS deletes no file system that is the source or the destination of a replication
    configuration: the configuration goes first (DeleteReplicationConfiguration, named by the
    source's ID, callable from either side; across regions it is deleted on both sides). That
    takes minutes, ends the replication, and turns the destination into a writeable file system of
    its own (EFS may write a lost+found directory into it). Discovery records each file system's
    replication (DescribeReplicationConfigurations) as `replication`: its role, the source's ID,
    the other side, and `outside`: the other side when it is in a region the user did not select
    (or another account). Then:

    - the other side outside the selection: the file system is BLOCKED, without a call. Deleting
      the configuration changes the other side: a destination there stops receiving updates and
      becomes writeable, a source there loses its replication. That is a change in a region the
      user excluded, even though nothing there is deleted, so it is not made (conservative);
    - a source whose destination is selected: its delete deletes the replication configuration,
      and `confirm_gone` deletes the file system once DescribeReplicationConfigurations answers
      ReplicationNotFound (a destination a tag keeps stays, writeable, with its data);
    - a destination whose source is selected: it links to its source (in the source's region),
      so it is deleted only once the source (and with it the configuration) is gone, and a source
      that stays (a tag, or anything holding it) holds its destination back.
    """

    spec = SPEC
    iam_actions = (
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeMountTargets",
        "elasticfilesystem:DescribeAccessPoints",
        "elasticfilesystem:DescribeReplicationConfigurations",
        "elasticfilesystem:DeleteReplicationConfiguration",
        "elasticfilesystem:DeleteFileSystem",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        efs = self.client(location)
        systems = file_systems(efs)
        if not systems:
            return []
        points: dict[str, list[str]] = {}
        for point in access_points(efs):
            points.setdefault(point.get("FileSystemId", ""), []).append(point["AccessPointId"])
        replications = _replications(efs, systems, location, regions)
        found = []
        for fs in systems:
            fs_id = fs["FileSystemId"]
            targets = mount_targets(efs, fs_id) if fs.get("NumberOfMountTargets", 1) else []
            replication = replications.get(fs_id)
            found.append(
                self.resource(
                    location,
                    fs_id,
                    name=fs.get("Name") or None,
                    tags=tag_dict(fs.get("Tags")),
                    created_at=fs.get("CreationTime"),
                    attributes={
                        "state": fs.get("LifeCycleState"),
                        "size": _sizes(fs.get("SizeInBytes") or {}),
                        "one_zone": bool(fs.get("AvailabilityZoneName")),
                        "throughput_mode": fs.get("ThroughputMode"),
                        "provisioned_mibps": fs.get("ProvisionedThroughputInMibps"),
                        "replication": replication,
                    },
                    links=(
                        *(Link("efs:mount-target", t["MountTargetId"], "mounted by") for t in targets),
                        *(Link("efs:access-point", p, "reached by") for p in points.get(fs_id, [])),
                        *_source_link(replication),
                    ),
                )
            )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Metered storage per class, GB-month (the size EFS last metered, about hourly), and
        provisioned throughput per MiB/s-month. Elastic throughput and IA / Archive access are
        billed per GB transferred: not estimated."""
        attributes = resource.attributes
        zone = 1 if attributes.get("one_zone") else 0
        sizes = attributes.get("size") or {}
        usages = []
        for storage_class, usage_types in STORAGE.items():
            gib = sizes.get(storage_class)
            if storage_class != "standard" and gib == 0:
                continue  # nothing in that class
            note = (
                f"{gib:.3f} GiB {storage_class}"
                if isinstance(gib, float)
                else f"{storage_class} size unknown"
            )
            usages.append(
                Usage(EFS, usage_types[zone], "GB-Mo", gib, CostPart.STORAGE, monthly=True, note=note)
            )
        if attributes.get("throughput_mode") == "provisioned":
            mibps = attributes.get("provisioned_mibps")
            quantity = float(mibps) if isinstance(mibps, int | float) else None
            usages.append(
                Usage(
                    EFS, "ProvisionedTP-MiBpsHrs", "MiBps-Mo", quantity, monthly=True, note=f"{mibps} MiB/s"
                )
            )
        return tuple(usages)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        efs = self.client(location)

        def delete(fs: Resource) -> ResourceOutcome:  # no batch API
            if fs.attributes.get("state") == "deleting":
                return pending(fs.id, "already deleting")
            replication = fs.attributes.get("replication")
            if replication and replication.get("outside"):
                return _replicated_outside(fs.id, replication)
            if replication and replication.get("role") == "source":
                if replication.get("status") == "DELETING":  # asked before (a resumed run)
                    return pending(fs.id, "its replication configuration is being deleted")
                try:
                    efs.delete_replication_configuration(SourceFileSystemId=fs.id)
                except ClientError as error:
                    if error_code(error) != "ReplicationNotFound":  # gone already: go on
                        return outcome(fs.id, error, "elasticfilesystem:DeleteReplicationConfiguration")
                return pending(fs.id, "deleting its replication configuration first (minutes)")
            efs.delete_file_system(FileSystemId=fs.id)
            return pending(fs.id, "deleting")

        return each(resources, delete, "elasticfilesystem:DeleteFileSystem")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        efs = self.client(location)
        outcomes = []
        for fs in resources:
            try:
                found = efs.describe_file_systems(FileSystemId=fs.id).get("FileSystems", [])
            except ClientError as error:
                if error_code(error) == "FileSystemNotFound":
                    outcomes.append(done(fs.id))
                else:
                    outcomes.append(outcome(fs.id, error, "elasticfilesystem:DescribeFileSystems"))
                continue
            state = found[0].get("LifeCycleState") if found else "deleted"
            if state == "available" and (fs.attributes.get("replication") or {}).get("role") == "source":
                outcomes.append(self._after_replication(efs, fs.id))
                continue
            outcomes.append(done(fs.id) if state == "deleted" else pending(fs.id, str(state)))
        return outcomes

    @staticmethod
    def _after_replication(efs: Any, fs_id: str) -> ResourceOutcome:
        """A source whose replication configuration is being deleted: the file system's own delete
        once the configuration is gone (ReplicationNotFound), else still pending."""
        try:
            configurations = efs.describe_replication_configurations(FileSystemId=fs_id).get(
                "Replications", []
            )
        except ClientError as error:
            if error_code(error) != "ReplicationNotFound":
                return outcome(fs_id, error, "elasticfilesystem:DescribeReplicationConfigurations")
            configurations = []
        if configurations:
            return pending(fs_id, "replication configuration still being deleted")
        try:
            efs.delete_file_system(FileSystemId=fs_id)
        except ClientError as error:
            return outcome(fs_id, error, "elasticfilesystem:DeleteFileSystem")
        return pending(fs_id, "deleting")


def _sizes(size: Mapping[str, Any]) -> dict[str, float | None]:
    """GiB per storage class from SizeInBytes: ValueInStandard (else the total less IA and Archive),
    ValueInIA, ValueInArchive (absent: 0, as EFS omits a class it has no data in)."""
    total = size.get("Value")
    ia, archive = size.get("ValueInIA", 0), size.get("ValueInArchive", 0)
    standard = size.get("ValueInStandard")
    if standard is None and isinstance(total, int | float):
        standard = total - ia - archive
    return {
        "standard": standard / GIB if isinstance(standard, int | float) else None,
        "ia": ia / GIB if isinstance(ia, int | float) else None,
        "archive": archive / GIB if isinstance(archive, int | float) else None,
    }


def _replications(
    efs: Any, systems: Sequence[Mapping[str, Any]], location: Location, regions: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """The replication of each file system that has one: its role ("source" or "destination"), the
    source's ID (which names the configuration), the other side (file system, region, account),
    the configuration's status, and `outside`: the other side, when it is outside the selection
    (another region not selected, or another account).

    DescribeFileSystems has reported `FileSystemProtection` since EFS replication could fail back
    (2023); a listing without it comes from an API without replication (an emulator), and nothing
    more is asked. Otherwise the region's configurations are listed once, and a file system marked
    as a destination (ReplicationOverwriteProtection REPLICATING) the listing missed is asked
    about by its ID. A file system whose replication goes unseen is only refused by AWS (a
    failure, with AWS's message): nothing is deleted on the other side.
    """
    if not any("FileSystemProtection" in fs for fs in systems):
        return {}
    here = {fs["FileSystemId"] for fs in systems}
    found = _sides(_configurations(efs), here, location, regions)
    for fs in systems:
        protection = (fs.get("FileSystemProtection") or {}).get("ReplicationOverwriteProtection")
        if protection == "REPLICATING" and fs["FileSystemId"] not in found:
            found.update(
                _sides(_configurations(efs, FileSystemId=fs["FileSystemId"]), here, location, regions)
            )
    return found


def _configurations(efs: Any, **which: str) -> list[dict[str, Any]]:
    """DescribeReplicationConfigurations' pages (all of the region's, or one file system's);
    ReplicationNotFound is none."""
    try:
        pages = efs.get_paginator("describe_replication_configurations").paginate(**which)
        return [c for page in pages for c in page.get("Replications", [])]
    except ClientError as error:
        if error_code(error) == "ReplicationNotFound":
            return []
        raise


def _sides(
    configurations: Sequence[Mapping[str, Any]], here: set[str], location: Location, regions: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Each file system of `here` that is a side of one of the configurations, with its replication."""
    selected = set(regions) | {location.region}

    def side(fs_id: Any, region: Any, account: Any) -> dict[str, Any]:
        return {"file_system": fs_id, "region": region, "account": account or location.account}

    def outside(other: Mapping[str, Any]) -> str | None:
        """Where the other side is, when that is outside the selection."""
        if other["account"] != location.account:
            return f"in account {other['account']} ({other['region']})"
        return None if other["region"] in selected else f"in {other['region']}, not selected"

    found: dict[str, dict[str, Any]] = {}
    for configuration in configurations:
        source_id = configuration.get("SourceFileSystemId")
        source = side(
            source_id,
            configuration.get("SourceFileSystemRegion"),
            configuration.get("SourceFileSystemOwnerId"),
        )
        for destination in configuration.get("Destinations", []):
            target = side(
                destination.get("FileSystemId"), destination.get("Region"), destination.get("OwnerId")
            )
            status = destination.get("Status")
            if source_id in here and source["region"] == location.region:
                found[str(source_id)] = {
                    "role": "source",
                    "source": source_id,
                    "other": target,
                    "status": status,
                    "outside": outside(target),
                }
            if target["file_system"] in here and target["region"] == location.region:
                found[str(target["file_system"])] = {
                    "role": "destination",
                    "source": source_id,
                    "other": source,
                    "status": status,
                    "outside": outside(source),
                }
    return found


def _source_link(replication: Mapping[str, Any] | None) -> tuple[Link, ...]:
    """A destination waits for its source (which deletes the configuration) to be gone."""
    if not replication or replication.get("role") != "destination" or replication.get("outside"):
        return ()
    source = replication["other"]
    return (Link("efs:file-system", str(source["file_system"]), "replica of", region=str(source["region"])),)


def _replicated_outside(fs_id: str, replication: Mapping[str, Any]) -> ResourceOutcome:
    other, where = replication["other"], replication["outside"]
    if replication.get("role") == "source":
        what = f"replicates to {other['file_system']} {where}"
        change = "would stop that replica's updates and make it writeable"
    else:
        what = f"is the replica of {other['file_system']} {where}"
        change = "would end that file system's replication"
    advice = "delete the replication configuration first"
    if str(where).endswith("not selected"):
        advice = f"select {other['region']} too, or {advice}"
    return ResourceOutcome(
        fs_id,
        OutcomeKind.BLOCKED,
        f"{what}: AWS deletes the file system only after its replication configuration, and deleting"
        f" that {change}; {advice}",
    )
