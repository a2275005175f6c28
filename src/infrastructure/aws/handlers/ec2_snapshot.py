from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handlers.base import AwsHandler

SPEC = ResourceTypeSpec(
    key="ec2:snapshot",
    requires=("ec2:image",),  # a snapshot backing a registered AMI cannot be deleted
    description="EBS snapshots owned by the account",
)


class Ec2SnapshotHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        raise NotImplementedError  # TODO(handler)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        raise NotImplementedError  # TODO(handler)
