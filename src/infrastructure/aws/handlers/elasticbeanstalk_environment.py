from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, pending, read_tags
from costzero.infrastructure.aws.handler_kit.beanstalk import (
    ENVIRONMENT,
    describe_environments,
    environment_id,
    resource_tags,
)

SPEC = ResourceTypeSpec(
    key=ENVIRONMENT,
    transition_seconds=300.0,  # Terminating -> Terminated takes minutes
    description="Elastic Beanstalk environments (terminated, then waited for)",
)


def beanstalk_outcome(resource_id: str, error: ClientError, action: str) -> ResourceOutcome:
    """Beanstalk says "not found" with InvalidParameterValue; the message tells which it is."""
    if "No Environment found" in error_message(error) or "No Application named" in error_message(error):
        return ResourceOutcome(resource_id, OutcomeKind.GONE, error_message(error))
    return outcome(resource_id, error, action)


class ElasticBeanstalkEnvironmentHandler(AwsHandler):
    spec = SPEC
    # terminating an environment also needs what Beanstalk deletes on your behalf (EC2,
    # Auto Scaling, ELB, CloudFormation) unless its service role holds those
    iam_actions = (
        "elasticbeanstalk:DescribeEnvironments",
        "elasticbeanstalk:ListTagsForResource",
        "elasticbeanstalk:TerminateEnvironment",
    )
    # its load balancer, if it has one, is not a type costzero lists (not priced here)
    free_because = "billed as its EC2 instances (ec2:instance), which carry a 'belongs to' link to it"

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        eb = self.client(location)
        found = []
        for environment in describe_environments(eb, {}):
            if environment.get("Status") == "Terminated":
                continue
            found.append(
                self.resource(
                    location,
                    environment_id(environment),
                    name=environment["EnvironmentName"],
                    tags=self._tags(eb, environment.get("EnvironmentArn")),
                    created_at=environment.get("DateCreated"),
                    attributes={
                        "application": environment.get("ApplicationName"),
                        "status": environment.get("Status"),
                        "tier": environment.get("Tier", {}).get("Name"),
                    },
                )
            )
        return found

    @staticmethod
    def _tags(eb: Any, arn: str | None) -> dict[str, str] | None:
        # unreadable (no ARN, or the call fails): None, and filters keep it (fail closed)
        return read_tags(resource_tags, eb, arn) if arn else None

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        eb = self.client(location)

        def terminate(environment: Resource) -> ResourceOutcome:
            # moto leaves EnvironmentId empty, so the id may be the name; the name always works
            eb.terminate_environment(EnvironmentName=environment.name or environment.id)
            return pending(environment.id, "terminating")

        return each(resources, terminate, "elasticbeanstalk:TerminateEnvironment", on_error=beanstalk_outcome)

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        eb = self.client(location)
        status: dict[str, str] = {}
        for batch in chunked([r.name or r.id for r in resources], 100):
            for environment in describe_environments(eb, {"EnvironmentNames": list(batch)}):
                status[environment["EnvironmentName"]] = environment.get("Status", "")
        results = []
        for resource in resources:
            state = status.get(resource.name or resource.id, "Terminated")
            results.append(done(resource.id) if state == "Terminated" else pending(resource.id, state))
        return results
