from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handlers.base import AwsHandler

SPEC = ResourceTypeSpec(
    key="elasticbeanstalk:environment",
    description="Elastic Beanstalk environments (terminated, then waited for)",
)


class ElasticBeanstalkEnvironmentHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        raise NotImplementedError  # TODO(handler)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        raise NotImplementedError  # TODO(handler)
