from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, error_message
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="cloudformation:stack",
    transition_seconds=120.0,  # DELETE_IN_PROGRESS -> DELETE_COMPLETE: minutes, as its resources go
    description="CloudFormation root stacks, deleted with the resources they created",
)
GONE_STATES = ("DELETE_COMPLETE",)
OWNER_TAG_PREFIXES = ("elasticbeanstalk:",)  # an environment's stack: terminated with its environment


class CloudFormationStackHandler(AwsHandler):
    """Root stacks (nested ones go with their root). DeleteStack deletes what the stack created,
    asynchronously: the stack is confirmed gone at DELETE_COMPLETE; DELETE_FAILED (a resource
    that could not be deleted: a non-empty bucket, something outside the stack still using one)
    is reported failed with AWS's reason. Retaining the resources that failed (RetainResources)
    is not offered.

    Termination protection is deletion protection: a protected stack is PROTECTED unless
    `--disable-protection cloudformation:stack`, which turns it off first.

    Never listed: stacks being deleted are listed, deleted ones are not; stacks that StackSets
    (StackSet-*) or Elastic Beanstalk (elasticbeanstalk:* tags) manage are left to their owner.
    """

    spec = SPEC
    free_because = (
        "CloudFormation does not charge for stacks of AWS resources; their resources bill on their own"
    )
    iam_actions = (
        "cloudformation:DescribeStacks",
        "cloudformation:UpdateTerminationProtection",
        "cloudformation:DeleteStack",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_stacks").paginate():
            for stack in page["Stacks"]:
                tags = tag_dict(stack.get("Tags"))
                if (
                    stack.get("ParentId")
                    or stack["StackStatus"] in GONE_STATES
                    or stack["StackName"].startswith("StackSet-")
                    or any(key.startswith(OWNER_TAG_PREFIXES) for key in tags)
                ):
                    continue
                found.append(
                    self.resource(
                        location,
                        stack["StackId"],
                        name=stack["StackName"],
                        tags=tags,
                        created_at=stack.get("CreationTime"),
                        attributes={
                            "status": stack["StackStatus"],
                            "termination_protection": bool(stack.get("EnableTerminationProtection")),
                        },
                    )
                )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        cloudformation = self.client(location)

        def delete(stack: Resource) -> ResourceOutcome:
            if stack.attributes.get("termination_protection"):
                if not self.options.may_disable_protection(self.spec.key):
                    return ResourceOutcome(
                        stack.id,
                        OutcomeKind.PROTECTED,
                        "termination protection on; --disable-protection cloudformation:stack to delete it",
                    )
                cloudformation.update_termination_protection(
                    EnableTerminationProtection=False, StackName=stack.id
                )
            try:
                cloudformation.delete_stack(StackName=stack.id)
            except ClientError as error:
                return _settled(stack.id, error) or _protected(stack.id, error)
            return pending(stack.id, "deleting with its resources")

        return each(resources, delete, "cloudformation:DeleteStack")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        cloudformation = self.client(location)

        def confirm(stack: Resource) -> ResourceOutcome:
            try:
                [described] = cloudformation.describe_stacks(StackName=stack.id)["Stacks"]
            except ClientError as error:
                gone = _settled(stack.id, error)
                if gone is None:
                    raise
                return gone
            status = described["StackStatus"]
            if status in GONE_STATES:
                return done(stack.id)
            if status == "DELETE_FAILED":
                reason = described.get("StackStatusReason") or "no reason given"
                return ResourceOutcome(stack.id, OutcomeKind.FAILED, f"DELETE_FAILED: {reason}")
            return pending(stack.id, status)

        return each(resources, confirm, "cloudformation:DescribeStacks")


def _settled(stack_id: str, error: ClientError) -> ResourceOutcome | None:
    """CloudFormation answers a ValidationError for a stack that no longer exists."""
    if error_code(error) == "ValidationError" and "does not exist" in error_message(error):
        return ResourceOutcome(stack_id, OutcomeKind.GONE, "no longer exists")
    return None


def _protected(stack_id: str, error: ClientError) -> ResourceOutcome:
    """Termination protection turned on since discovery: DeleteStack's ValidationError says so."""
    message = error_message(error)
    if error_code(error) == "ValidationError" and "TerminationProtection" in message:
        return ResourceOutcome(
            stack_id,
            OutcomeKind.PROTECTED,
            f"termination protection on; --disable-protection cloudformation:stack to delete it ({message})",
        )
    raise error
