from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import TAG_READERS, AwsHandler, done, tag_dict

SPEC = ResourceTypeSpec(
    key="ecs:task-definition",
    requires=(
        "ecs:service",  # a revision stays DELETE_IN_PROGRESS while a service still uses it
        "ecs:task",  # ... or a task still runs it
    ),
    delete_batch_size=10,  # DeleteTaskDefinitions takes up to 10 revisions
    description="ECS task definition revisions (deregistered, then deleted)",
)


class EcsTaskDefinitionHandler(AwsHandler):
    """Every ACTIVE and INACTIVE (deregistered) revision. Deleting is two steps: a revision must be
    deregistered (INACTIVE) before DeleteTaskDefinitions takes it; it is then DELETE_IN_PROGRESS
    until no task or service uses it, and AWS removes it on its own after that. Nothing waits on
    it, so the accepted delete settles it."""

    spec = SPEC
    free_because = "task definitions have no charge"
    iam_actions = (
        "ecs:ListTaskDefinitions",
        "ecs:DescribeTaskDefinition",
        "ecs:DeregisterTaskDefinition",
        "ecs:DeleteTaskDefinitions",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ecs = self.client(location)
        arns = [
            (arn, status)
            for status in ("ACTIVE", "INACTIVE")
            for page in ecs.get_paginator("list_task_definitions").paginate(status=status)
            for arn in page["taskDefinitionArns"]
        ]
        if not arns:
            return []
        # the listing has no tags: one DescribeTaskDefinition each, a few at a time
        with ThreadPoolExecutor(max_workers=min(TAG_READERS, len(arns))) as pool:
            tags = list(pool.map(lambda item: _tags(ecs, item[0]), arns))
        return [
            self.resource(
                location,
                arn,
                name=arn.rsplit("/", 1)[-1],  # family:revision
                tags=tag,
                attributes={"status": status},
            )
            for (arn, status), tag in zip(arns, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ecs = self.client(location)
        outcomes: dict[str, ResourceOutcome] = {}
        for revision in resources:
            if revision.attributes.get("status") == "INACTIVE":
                continue
            try:
                ecs.deregister_task_definition(taskDefinition=revision.id)
            except ClientError as error:
                outcomes[revision.id] = _settled(revision.id, error, "ecs:DeregisterTaskDefinition")
        ready = [r.id for r in resources if r.id not in outcomes]
        if ready:
            try:
                reply = ecs.delete_task_definitions(taskDefinitions=ready)
            except ClientError as error:
                settled = {arn: outcome(arn, error, "ecs:DeleteTaskDefinitions") for arn in ready}
                return [outcomes.get(r.id) or settled[r.id] for r in resources]
            for failure in reply.get("failures", []):
                arn = failure.get("arn", "")
                reason = f"{failure.get('reason', '')} {failure.get('detail', '')}".strip()
                kind = (
                    OutcomeKind.GONE
                    if "not found" in reason.lower() or "MISSING" in reason
                    else OutcomeKind.FAILED
                )
                outcomes[arn] = ResourceOutcome(arn, kind, reason)
        return [outcomes.get(r.id) or done(r.id) for r in resources]


def _tags(ecs: Any, arn: str) -> dict[str, str] | None:
    try:
        reply = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
    except (ClientError, BotoCoreError):
        return None  # unreadable: kept under a tag filter
    return tag_dict([{"Key": t["key"], "Value": t["value"]} for t in reply.get("tags", [])])


def _settled(resource_id: str, error: ClientError, action: str) -> ResourceOutcome:
    """ECS answers a revision it does not know with ClientException "...does not exist" (or
    InvalidParameterException): gone."""
    message = str(error.response.get("Error", {}).get("Message", "")).lower()
    if "does not exist" in message or "not found" in message:
        return ResourceOutcome(resource_id, OutcomeKind.GONE, message)
    return outcome(resource_id, error, action)
