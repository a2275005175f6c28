from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:volume",
    requires=("ec2:instance",),  # an attached volume cannot be deleted
    linked_requires=("ec2:instance",),  # discovery links each attached volume to its instance
    transition_seconds=5.0,  # deleting -> deleted
    description="EBS volumes",
)

# Volume type -> the Price List's storage usage type and its unit (io2's unit is "GB-month", the
# others' "GB-Mo": the key must match the book's row exactly)
STORAGE = {
    "gp2": ("EBS:VolumeUsage.gp2", "GB-Mo"),
    "gp3": ("EBS:VolumeUsage.gp3", "GB-Mo"),
    "io1": ("EBS:VolumeUsage.piops", "GB-Mo"),
    "io2": ("EBS:VolumeUsage.io2", "GB-month"),
    "st1": ("EBS:VolumeUsage.st1", "GB-Mo"),
    "sc1": ("EBS:VolumeUsage.sc1", "GB-Mo"),
    "standard": ("EBS:VolumeUsage", "GB-Mo"),  # magnetic (previous generation)
}
GP3_FREE_IOPS, GP3_FREE_MIBPS = 3000, 125  # gp3's baseline, included in its storage price
IO2_TIERS: tuple[
    tuple[int, int | None, str], ...
] = (  # io2 IOPS are priced per volume in tiers: (from, up to, usage type)
    (0, 32000, "EBS:VolumeP-IOPS.io2"),
    (32000, 64000, "EBS:VolumeP-IOPS.io2.tier2"),
    (64000, None, "EBS:VolumeP-IOPS.io2.tier3"),
)


class Ec2VolumeHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "ec2:DescribeVolumes",
        "ec2:DeleteVolume",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_volumes").paginate():
            for volume in page["Volumes"]:
                tags = tag_dict(volume.get("Tags"))
                found.append(
                    self.resource(
                        location,
                        volume["VolumeId"],
                        name=tags.get("Name"),
                        tags=tags,
                        created_at=volume.get("CreateTime"),
                        attributes={
                            "size_gib": volume.get("Size"),
                            "volume_type": volume.get("VolumeType"),
                            "state": volume.get("State"),
                            "attached_to": [a["InstanceId"] for a in volume.get("Attachments", [])],
                            "iops": volume.get("Iops"),  # provisioned (io1, io2, gp3) or baseline
                            "throughput_mibps": volume.get("Throughput"),  # gp3 only
                        },
                        links=tuple(
                            Link("ec2:instance", a["InstanceId"], "attached to")
                            for a in volume.get("Attachments", [])
                            if a.get("State") not in ("detached",) and "InstanceId" in a
                        ),
                    )
                )
        return found

    # -- cost: provisioned storage, and provisioned IOPS / throughput where they bill ----------
    def usage(self, resource: Resource) -> Sequence[Usage]:
        """What the volume bills while it exists (attached, detached, or its instance stopped):
        all STORAGE, priced per month. Magnetic (standard) volumes also bill I/O requests, which
        discovery cannot see: not estimated."""
        attributes = resource.attributes
        volume_type = attributes.get("volume_type") or "unknown"
        size = attributes.get("size_gib")
        storage, unit = STORAGE.get(volume_type, (f"EBS:VolumeUsage.{volume_type}", "GB-Mo"))
        usages = [_monthly(storage, unit, size, f"{size} GiB {volume_type}" if size else volume_type)]
        iops, mibps = attributes.get("iops"), attributes.get("throughput_mibps")
        if volume_type == "io1":
            usages.append(_monthly("EBS:VolumeP-IOPS.piops", "IOPS-Mo", iops, f"{iops} provisioned IOPS"))
        elif volume_type == "io2":
            usages.extend(_io2_iops(iops))
        elif volume_type == "gp3":
            usages.extend(_gp3_performance(iops, mibps))
        return tuple(usages)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        # Volumes attached at discovery: their instance went first, and with it every volume
        # marked DeleteOnTermination. One describe settles those instead of a DeleteVolume each.
        attached = [r for r in resources if r.links]
        states = self._states(ec2, attached) if attached else {}

        def delete(volume: Resource) -> ResourceOutcome:  # no batch API for volumes
            if volume.links and states.get(volume.id, "deleted") in ("deleted", "deleting"):
                if states.get(volume.id, "deleted") == "deleted":
                    return ResourceOutcome(volume.id, OutcomeKind.GONE, "deleted with its instance")
                return pending(volume.id, "deleting with its instance")
            ec2.delete_volume(VolumeId=volume.id)  # VolumeInUse -> not yet (still attached)
            return pending(volume.id, "deleting")

        return each(resources, delete, "ec2:DeleteVolume")

    @staticmethod
    def _states(ec2: Any, resources: Sequence[Resource]) -> dict[str, str]:
        """Volume ID -> state, for those AWS still describes (a filter: gone IDs do not fail it)."""
        states: dict[str, str] = {}
        for batch in chunked([r.id for r in resources], 200):
            pages = ec2.get_paginator("describe_volumes").paginate(
                Filters=[{"Name": "volume-id", "Values": list(batch)}]
            )
            for page in pages:
                states.update({v["VolumeId"]: v["State"] for v in page["Volumes"]})
        return states

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        states = self._states(self.client(location), resources)
        return [
            done(r.id) if states.get(r.id, "deleted") == "deleted" else pending(r.id, states[r.id])
            for r in resources
        ]


def _monthly(usage_type: str, unit: str, quantity: Any, note: str) -> Usage:
    """A provisioned monthly quantity; None (not read) keeps the dimension unknown."""
    value = float(quantity) if isinstance(quantity, int | float) else None
    return Usage("AmazonEC2", usage_type, unit, value, CostPart.STORAGE, monthly=True, note=note)


def _io2_iops(iops: Any) -> list[Usage]:
    """io2 IOPS are tiered per volume: up to 32,000, 32,001 to 64,000, and above 64,000."""
    if not isinstance(iops, int | float):
        return [_monthly(IO2_TIERS[0][2], "IOPS-Mo", None, "provisioned IOPS (not read)")]
    usages = []
    for floor, ceiling, usage_type in IO2_TIERS:
        amount = (iops if ceiling is None else min(iops, ceiling)) - floor
        if amount > 0 or floor == 0:
            usages.append(_monthly(usage_type, "IOPS-Mo", amount, f"{amount:g} of {iops:g} IOPS"))
    return usages


def _gp3_performance(iops: Any, mibps: Any) -> list[Usage]:
    """gp3 bills IOPS above 3,000 per IOPS-month and throughput above 125 MiB/s per GiBps-month
    (the Price List's unit: its price is 1,024 times the per-MiB/s price of the public page)."""
    usages = []
    extra_iops = _above(iops, GP3_FREE_IOPS)
    if extra_iops != 0:
        note = f"{iops} IOPS, 3,000 included" if extra_iops is not None else "IOPS (not read)"
        usages.append(_monthly("EBS:VolumeP-IOPS.gp3", "IOPS-Mo", extra_iops, note))
    extra_mibps = _above(mibps, GP3_FREE_MIBPS)
    if extra_mibps != 0:
        gibps = None if extra_mibps is None else extra_mibps / 1024
        note = f"{mibps} MiB/s, 125 included" if gibps is not None else "throughput (not read)"
        usages.append(_monthly("EBS:VolumeP-Throughput.gp3", "GiBps-mo", gibps, note))
    return usages


def _above(value: Any, included: int) -> float | None:
    """What is provisioned beyond the included baseline; None when the value was not read."""
    if not isinstance(value, int | float):
        return None
    return float(max(value - included, 0))
