from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:snapshot",
    requires=("ec2:image",),  # a snapshot backing a registered AMI cannot be deleted
    linked_requires=("ec2:image",),  # discovery links each snapshot to the AMIs it backs
    description="EBS snapshots owned by the account",
)


class Ec2SnapshotHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "ec2:DescribeSnapshots",
        "ec2:DescribeImages",
        "ec2:DeleteSnapshot",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        backed = self._images_by_snapshot(location)
        found = []
        # The owner-id filter repeats OwnerIds=["self"] for real AWS; moto ignores OwnerIds and
        # would list the snapshots behind its public AMIs as ours.
        pages = (
            self.client(location)
            .get_paginator("describe_snapshots")
            .paginate(OwnerIds=["self"], Filters=[{"Name": "owner-id", "Values": [location.account]}])
        )
        for page in pages:
            for snapshot in page["Snapshots"]:
                tags = tag_dict(snapshot.get("Tags"))
                found.append(
                    self.resource(
                        location,
                        snapshot["SnapshotId"],
                        name=tags.get("Name"),
                        tags=tags,
                        created_at=snapshot.get("StartTime"),
                        attributes={
                            "volume_size_gib": snapshot.get("VolumeSize"),
                            "state": snapshot.get("State"),
                            "storage_tier": snapshot.get("StorageTier"),  # standard or archive
                        },
                        links=tuple(
                            Link("ec2:image", image, "backing")
                            for image in backed.get(snapshot["SnapshotId"], ())
                        ),
                    )
                )
        return found

    # -- cost: GB-months of snapshot storage, priced on the volume size (an upper bound) --------
    def usage(self, resource: Resource) -> Sequence[Usage]:
        """A standard-tier snapshot bills only the blocks it holds that no earlier snapshot of the
        volume does (incremental); AWS's APIs do not say how many, so the volume size is an upper
        bound. An archived snapshot is a full copy: its size is at most the volume size."""
        size = resource.attributes.get("volume_size_gib")
        quantity = float(size) if isinstance(size, int | float) else None
        if resource.attributes.get("storage_tier") == "archive":
            usage_type, note = "EBS:SnapshotArchiveStorage", f"at most {size} GiB, archive tier (full copy)"
        else:
            usage_type, note = (
                "EBS:SnapshotUsage",
                f"at most {size} GiB: incremental, volume size as upper bound",
            )
        return (Usage("AmazonEC2", usage_type, "GB-Mo", quantity, CostPart.STORAGE, monthly=True, note=note),)

    def _images_by_snapshot(self, location: Location) -> dict[str, list[str]]:
        """Snapshot ID -> the account's AMIs registered over it (one listing per region)."""
        images: dict[str, list[str]] = {}
        pages = self.client(location).get_paginator("describe_images").paginate(Owners=["self"])
        for page in pages:
            for image in page["Images"]:
                for mapping in image.get("BlockDeviceMappings", []):
                    snapshot = mapping.get("Ebs", {}).get("SnapshotId")
                    if snapshot:
                        images.setdefault(snapshot, []).append(image["ImageId"])
        return images

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)  # no batch API for snapshots
        # InvalidSnapshot.InUse (an AMI still uses it) -> not yet
        return each(
            resources, lambda snapshot: ec2.delete_snapshot(SnapshotId=snapshot.id), "ec2:DeleteSnapshot"
        )
