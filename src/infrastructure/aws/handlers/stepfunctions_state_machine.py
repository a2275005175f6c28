from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, read_all_tags

SPEC = ResourceTypeSpec(
    key="stepfunctions:state-machine",
    # no requires: deleting a state machine stops its running executions itself
    transition_seconds=30.0,  # DELETING until its executions have stopped, usually well under a minute
    description="Step Functions state machines (running executions are stopped)",
)


def _machine_tags(sfn: Any, arn: str) -> dict[str, str]:
    tags = sfn.list_tags_for_resource(resourceArn=arn).get("tags", [])
    return {t["key"]: t.get("value", "") for t in tags}


class StepFunctionsStateMachineHandler(AwsHandler):
    """DeleteStateMachine is asynchronous: the machine is DELETING until AWS has stopped its
    executions, then DescribeStateMachine answers StateMachineDoesNotExist."""

    spec = SPEC
    free_because = (
        "billed per state transition (standard) or per request and duration (express); "
        "a state machine has no standing charge"
    )
    iam_actions = (
        "states:ListStateMachines",
        "states:ListTagsForResource",
        "states:DescribeStateMachine",
        "states:DeleteStateMachine",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        sfn = self.client(location)
        pages = sfn.get_paginator("list_state_machines").paginate()
        machines = [m for page in pages for m in page.get("stateMachines", [])]
        tags = read_all_tags(_machine_tags, [(sfn, m["stateMachineArn"]) for m in machines])
        return [
            self.resource(
                location,
                machine["stateMachineArn"],
                name=machine["name"],
                tags=machine_tags,
                created_at=machine.get("creationDate"),
                attributes={"kind": machine.get("type")},
            )
            for machine, machine_tags in zip(machines, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        sfn = self.client(location)

        def delete(machine: Resource) -> ResourceOutcome:
            sfn.delete_state_machine(stateMachineArn=machine.id)  # no batch API
            return pending(machine.id, "deleting")

        return each(resources, delete, "states:DeleteStateMachine")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        sfn = self.client(location)
        outcomes = []
        for machine in resources:
            try:
                status = sfn.describe_state_machine(stateMachineArn=machine.id).get("status")
            except ClientError as error:
                result = outcome(machine.id, error, "states:DescribeStateMachine")
                outcomes.append(done(machine.id) if result.kind is OutcomeKind.GONE else result)
                continue
            outcomes.append(pending(machine.id, str(status)))  # still described: DELETING
        return outcomes
