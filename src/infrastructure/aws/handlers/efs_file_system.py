from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import ResourceOutcome
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
    transition_seconds=30.0,  # deleting -> gone (an estimate)
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
    IncorrectFileSystemLifeCycleState (not yet). A replication destination refuses to be deleted
    until its replication configuration is (left as failed, with AWS's message)."""

    spec = SPEC
    iam_actions = (
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeMountTargets",
        "elasticfilesystem:DescribeAccessPoints",
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
        found = []
        for fs in systems:
            fs_id = fs["FileSystemId"]
            targets = mount_targets(efs, fs_id) if fs.get("NumberOfMountTargets", 1) else []
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
                    },
                    links=(
                        *(Link("efs:mount-target", t["MountTargetId"], "mounted by") for t in targets),
                        *(Link("efs:access-point", p, "reached by") for p in points.get(fs_id, [])),
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
            outcomes.append(done(fs.id) if state == "deleted" else pending(fs.id, str(state)))
        return outcomes


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
