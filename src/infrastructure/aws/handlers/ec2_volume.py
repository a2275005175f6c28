from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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


class Ec2VolumeHandler(AwsHandler):
    spec = SPEC

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
                        },
                        links=tuple(
                            Link("ec2:instance", a["InstanceId"], "attached to")
                            for a in volume.get("Attachments", [])
                            if a.get("State") not in ("detached",) and "InstanceId" in a
                        ),
                    )
                )
        return found

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
