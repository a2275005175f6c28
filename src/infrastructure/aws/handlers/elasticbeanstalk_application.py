from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, tag_dict
from costzero.infrastructure.aws.handler_kit.beanstalk import (
    ENVIRONMENT,
    describe_environments,
    environment_id,
)

SPEC = ResourceTypeSpec(
    key="elasticbeanstalk:application",
    requires=(ENVIRONMENT,),
    linked_requires=(ENVIRONMENT,),  # discovery links each application to its environments
    description="Elastic Beanstalk applications and their versions",
)


class ElasticBeanstalkApplicationHandler(AwsHandler):
    spec = SPEC

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
            # moto omits ApplicationArn; the ARN's shape is documented, so build it when missing
            arn = application.get("ApplicationArn") or (
                f"arn:aws:elasticbeanstalk:{location.region}:{location.account}:application/{name}"
            )
            try:
                tags = tag_dict(eb.list_tags_for_resource(ResourceArn=arn).get("ResourceTags"))
            except ClientError:
                tags = None  # unreadable: filters keep it (fail closed)
            found.append(
                self.resource(
                    location,
                    name,
                    name=name,
                    tags=tags,
                    created_at=application.get("DateCreated"),
                    links=tuple(environments.get(name, ())),
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        eb = self.client(location)
        outcomes = []
        for application in resources:
            try:
                # never force: environments are their own type and are terminated first
                eb.delete_application(ApplicationName=application.id, TerminateEnvByForce=False)
                outcomes.append(done(application.id))
            except ClientError as error:
                outcomes.append(self._outcome(application.id, error))
        return outcomes

    @staticmethod
    def _outcome(name: str, error: ClientError) -> ResourceOutcome:
        message = error_message(error)
        if error_code(error) == "InvalidParameterValue":
            # Beanstalk reports both "gone" and "still has running environments" this way.
            if "No Application named" in message or "not found" in message.lower():
                return ResourceOutcome(name, OutcomeKind.GONE, message)
            return ResourceOutcome(name, OutcomeKind.NOT_YET, message)
        return outcome(name, error, "elasticbeanstalk:DeleteApplication")
