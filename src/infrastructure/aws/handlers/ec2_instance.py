from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handlers.base import AwsHandler

SPEC = ResourceTypeSpec(
    key="ec2:instance",
    requires=("elasticbeanstalk:environment",),  # an environment's own instances go with it
    delete_batch_size=1000,  # TerminateInstances takes up to 1000 IDs
    description="EC2 instances (terminated, then waited for until 'terminated')",
)


class Ec2InstanceHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        raise NotImplementedError  # TODO(handler)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        raise NotImplementedError  # TODO(handler)
