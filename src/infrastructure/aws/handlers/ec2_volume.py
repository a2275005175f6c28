from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:volume",
    requires=("ec2:instance",),  # an attached volume cannot be deleted
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
        outcomes = []
        for volume in resources:  # no batch API for volumes
            try:
                ec2.delete_volume(VolumeId=volume.id)
                outcomes.append(pending(volume.id, "deleting"))
            except ClientError as error:  # VolumeInUse -> not yet (still attached)
                outcomes.append(outcome(volume.id, error, "ec2:DeleteVolume"))
        return outcomes

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        states: dict[str, str] = {}
        for batch in chunked([r.id for r in resources], 200):
            pages = ec2.get_paginator("describe_volumes").paginate(
                Filters=[{"Name": "volume-id", "Values": list(batch)}]
            )
            for page in pages:
                states.update({v["VolumeId"]: v["State"] for v in page["Volumes"]})
        return [
            done(r.id) if states.get(r.id, "deleted") == "deleted" else pending(r.id, states[r.id])
            for r in resources
        ]
