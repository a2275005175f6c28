from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:image",
    description="AMIs owned by the account (deregistered; their snapshots are ec2:snapshot)",
)


class Ec2ImageHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        pages = self.client(location).get_paginator("describe_images").paginate(Owners=["self"])
        for page in pages:
            for image in page["Images"]:
                tags = tag_dict(image.get("Tags"))
                snapshots = [
                    m["Ebs"]["SnapshotId"]
                    for m in image.get("BlockDeviceMappings", [])
                    if "Ebs" in m and "SnapshotId" in m["Ebs"]
                ]
                found.append(
                    self.resource(
                        location,
                        image["ImageId"],
                        name=image.get("Name"),
                        tags=tags,
                        attributes={"state": image.get("State"), "snapshot_ids": snapshots},
                    )
                )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)  # no batch API for AMIs
        return each(resources, lambda image: ec2.deregister_image(ImageId=image.id), "ec2:DeregisterImage")
