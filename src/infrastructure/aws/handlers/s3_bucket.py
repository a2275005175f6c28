from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.handlers.base import AwsHandler

SPEC = ResourceTypeSpec(
    key="s3:bucket",
    scope=Scope.GLOBAL,  # listed once per account; each bucket is emptied in its own region
    delete_batch_size=1000,  # DeleteObjects takes up to 1000 keys
    description="S3 buckets with every object version and delete marker",
)


class S3BucketHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        raise NotImplementedError  # TODO(handler)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        raise NotImplementedError  # TODO(handler)
