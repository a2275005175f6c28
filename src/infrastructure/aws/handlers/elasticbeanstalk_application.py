from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_tags
from costzero.infrastructure.aws.handler_kit.beanstalk import (
    ENVIRONMENT,
    describe_environments,
    environment_id,
    resource_tags,
)

SPEC = ResourceTypeSpec(
    key="elasticbeanstalk:application",
    requires=(ENVIRONMENT,),
    linked_requires=(ENVIRONMENT,),  # discovery links each application to its environments
    description="Elastic Beanstalk applications and their versions",
)


class ElasticBeanstalkApplicationHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "elasticbeanstalk:DescribeApplications",
        "elasticbeanstalk:ListTagsForResource",
        "elasticbeanstalk:DeleteApplication",
    )
    free_because = "no charge of its own (its environments bill as their EC2 instances)"

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        eb = self.client(location)
        environments: dict[str, list[Link]] = {}
        for environment in describe_environments(eb, {}):
            if environment.get("Status") != "Terminated":
                environments.setdefault(environment["ApplicationName"], []).append(
                    Link(ENVIRONMENT, environment_id(environment), "has environment")
                )
        found = []
        for application in eb.describe_applications().get("Applications", []):
            name = application["ApplicationName"]
            # older moto releases omit ApplicationArn; the ARN's shape is documented: build it then
            arn = application.get("ApplicationArn") or (
                f"arn:aws:elasticbeanstalk:{location.region}:{location.account}:application/{name}"
            )
            found.append(
                self.resource(
                    location,
                    name,
                    name=name,
                    tags=read_tags(resource_tags, eb, arn),  # None when unreadable: filters keep it
                    created_at=application.get("DateCreated"),
                    links=tuple(environments.get(name, ())),
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        eb = self.client(location)

        def delete(application: Resource) -> None:
            # never force: environments are their own type and are terminated first
            eb.delete_application(ApplicationName=application.id, TerminateEnvByForce=False)

        return each(resources, delete, "elasticbeanstalk:DeleteApplication", on_error=_delete_outcome)


def _delete_outcome(name: str, error: ClientError, action: str) -> ResourceOutcome:
    message = error_message(error)
    if error_code(error) == "InvalidParameterValue":
        # Beanstalk reports both "gone" and "still has running environments" this way.
        if "No Application named" in message or "not found" in message.lower():
            return ResourceOutcome(name, OutcomeKind.GONE, message)
        return ResourceOutcome(name, OutcomeKind.NOT_YET, message)
    return outcome(name, error, action)
