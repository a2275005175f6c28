from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.ownership import MEMBERS, STACK_IDS, member_key
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, error_message
from costzero.infrastructure.aws.handler_kit.base import (
    TAG_READERS,
    AwsHandler,
    ClientSource,
    HandlerOptions,
    done,
    each,
    pending,
    tag_dict,
)

SPEC = ResourceTypeSpec(
    key="cloudformation:stack",
    transition_seconds=120.0,  # DELETE_IN_PROGRESS -> DELETE_COMPLETE: minutes, as its resources go
    description="CloudFormation root stacks, deleted with the resources they created",
)
GONE_STATES = ("DELETE_COMPLETE",)
# DELETE_FAILED is tried again this many times in a run: what held the stack (an interface or a
# subnet outside it, in its VPC) is often being deleted by the same run
DELETE_ATTEMPTS = 3
OWNER_TAG_PREFIXES = ("elasticbeanstalk:",)  # an environment's stack: terminated with its environment
# CloudFormation's namespace (AWS::<Namespace>::Type) -> costzero's service prefix, where they differ
SERVICES = {
    "ElasticLoadBalancingV2": "elbv2",
    "ElasticLoadBalancing": "elb",
    "KinesisFirehose": "firehose",
    "OpenSearchService": "opensearch",
    "Elasticsearch": "opensearch",
}


class CloudFormationStackHandler(AwsHandler):
    """Root stacks (nested ones go with their root). DeleteStack deletes what the stack created,
    asynchronously: the stack is confirmed gone at DELETE_COMPLETE; DELETE_FAILED (a resource
    that could not be deleted: a non-empty bucket, something outside the stack still using one)
    is deleted again, up to DELETE_ATTEMPTS in all, since what held it is often something else
    the run is deleting; after that it is reported failed with AWS's reason, unless the user asked
    for `--retain-failed-stack-resources`: then it is deleted once more leaving the resources that
    failed (RetainResources), which are no longer the stack's and go with a later destroy.

    Termination protection is deletion protection: a protected stack is PROTECTED unless
    `--disable-protection cloudformation:stack`, which turns it off first.

    Never listed: stacks being deleted are listed, deleted ones are not; stacks that StackSets
    (StackSet-*) or Elastic Beanstalk (elasticbeanstalk:* tags) manage are left to their owner.

    Each root stack records what it created, nested stacks' resources included: their stack IDs
    (`stack_ids`, what the `aws:cloudformation:stack-id` tag names) and `members`, "service|physical
    ID" from ListStackResources, for what carries no tag. A destroy leaves those to the stack
    (`domain.ownership`).
    """

    spec = SPEC
    free_because = (
        "CloudFormation does not charge for stacks of AWS resources; their resources bill on their own"
    )
    iam_actions = (
        "cloudformation:DescribeStacks",
        "cloudformation:ListStackResources",
        "cloudformation:UpdateTerminationProtection",
        "cloudformation:DeleteStack",
    )

    def __init__(self, clients: ClientSource, options: HandlerOptions | None = None) -> None:
        super().__init__(clients, options)
        self._failed: dict[str, int] = {}  # stack ID -> DELETE_FAILED seen (one task per stack at a time)

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        cloudformation = self.client(location)
        roots = []
        nested: dict[str, list[str]] = {}
        for page in cloudformation.get_paginator("describe_stacks").paginate():
            for stack in page["Stacks"]:
                if stack["StackStatus"] in GONE_STATES:
                    continue
                if stack.get("ParentId"):
                    nested.setdefault(stack.get("RootId") or stack["ParentId"], []).append(stack["StackId"])
                    continue
                tags = tag_dict(stack.get("Tags"))
                if stack["StackName"].startswith("StackSet-") or any(
                    key.startswith(OWNER_TAG_PREFIXES) for key in tags
                ):
                    continue
                roots.append((stack, tags))
        # what each stack created: one listing per stack (nested ones too), a few at a time
        every_id = [i for stack, _ in roots for i in (stack["StackId"], *nested.get(stack["StackId"], []))]
        with ThreadPoolExecutor(max_workers=max(1, min(TAG_READERS, len(every_id)))) as pool:
            members = dict(
                zip(every_id, pool.map(lambda i: self._members(cloudformation, i), every_id), strict=True)
            )
        found = []
        for stack, tags in roots:
            stack_ids = [stack["StackId"], *nested.get(stack["StackId"], [])]
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
                        STACK_IDS: stack_ids,
                        MEMBERS: sorted(m for i in stack_ids for m in members[i]),
                    },
                )
            )
        return found

    @staticmethod
    def _members(cloudformation: Any, stack_id: str) -> set[str]:
        """What one stack created, as "service|physical ID" (nested stacks are listed on their own)."""
        members = set()
        for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack_id):
            for summary in page["StackResourceSummaries"]:
                physical = summary.get("PhysicalResourceId")
                parts = summary["ResourceType"].split("::")
                if not physical or len(parts) != 3 or parts[0] != "AWS" or parts[1] == "CloudFormation":
                    continue
                members.add(member_key(SERVICES.get(parts[1], parts[1].lower()), physical))
        return members

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
                return self._failed_again(cloudformation, stack.id, described)
            return pending(stack.id, status)

        return each(resources, confirm, "cloudformation:DescribeStacks")

    def _failed_again(
        self, cloudformation: Any, stack_id: str, described: Mapping[str, Any]
    ) -> ResourceOutcome:
        """DELETE_FAILED: deleted again while attempts are left; then, when the user asked, once
        more leaving what could not be deleted (RetainResources); otherwise failed, with AWS's reason."""
        reason = f"DELETE_FAILED: {described.get('StackStatusReason') or 'no reason given'}"
        attempts = self._failed.get(stack_id, 0) + 1
        self._failed[stack_id] = attempts
        if attempts < DELETE_ATTEMPTS:
            cloudformation.delete_stack(StackName=stack_id)
            return pending(stack_id, f"{reason}; deleting again")
        if attempts == DELETE_ATTEMPTS and self.options.retain_failed_stack_resources:
            stuck = _failed_resources(cloudformation, stack_id)
            if stuck:
                cloudformation.delete_stack(StackName=stack_id, RetainResources=stuck)
                return pending(
                    stack_id, f"{reason}; deleting it leaving {', '.join(stuck)} (no longer the stack's)"
                )
        hint = (
            ""
            if self.options.retain_failed_stack_resources
            else "; --retain-failed-stack-resources to leave them"
        )
        return ResourceOutcome(stack_id, OutcomeKind.FAILED, f"{reason} ({attempts} attempts){hint}")


def _failed_resources(cloudformation: Any, stack_id: str) -> list[str]:
    """The logical IDs of the stack's resources that failed to delete."""
    return [
        summary["LogicalResourceId"]
        for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack_id)
        for summary in page["StackResourceSummaries"]
        if summary.get("ResourceStatus") == "DELETE_FAILED"
    ]


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
