from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, read_all_tags

SPEC = ResourceTypeSpec(
    key="lambda:event-source-mapping",
    transition_seconds=30.0,  # Deleting -> gone: seconds to a minute (an estimate)
    description="Lambda event source mappings (what polls SQS, Kinesis, DynamoDB, Kafka for a function)",
)


def _mapping_tags(lam: Any, arn: str) -> dict[str, str]:
    return dict(lam.list_tags(Resource=arn).get("Tags", {}))


class LambdaEventSourceMappingHandler(AwsHandler):
    """Deleted asynchronously: DeleteEventSourceMapping answers State "Deleting", and the mapping is
    gone when GetEventSourceMapping says ResourceNotFoundException. A mapping mid-change (Creating,
    Enabling, Updating...) refuses with ResourceInUseException: not yet."""

    spec = SPEC
    free_because = (
        "no charge of its own: the function's invocations are billed (provisioned-mode pollers, billed "
        "per event poller unit, are not estimated)"
    )
    iam_actions = (
        "lambda:ListEventSourceMappings",
        "lambda:ListTags",
        "lambda:GetEventSourceMapping",
        "lambda:DeleteEventSourceMapping",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        lam = self.client(location)
        pages = lam.get_paginator("list_event_source_mappings").paginate()
        mappings = [m for page in pages for m in page.get("EventSourceMappings", [])]
        # tags are per mapping (ListTags on its ARN; unreadable or no ARN: None, so kept by filters)
        tags = read_all_tags(_mapping_tags, [(lam, m.get("EventSourceMappingArn")) for m in mappings])
        return [
            self.resource(
                location,
                mapping["UUID"],
                name=_function_name(mapping.get("FunctionArn")),
                tags=found_tags,
                attributes={
                    "function_arn": mapping.get("FunctionArn"),
                    "event_source_arn": mapping.get("EventSourceArn"),
                    "state": mapping.get("State"),
                    "provisioned_pollers": mapping.get("ProvisionedPollerConfig"),
                },
            )
            for mapping, found_tags in zip(mappings, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        lam = self.client(location)

        def delete(mapping: Resource) -> ResourceOutcome:  # no batch API
            if mapping.attributes.get("state") == "Deleting":
                return pending(mapping.id, "already deleting")
            lam.delete_event_source_mapping(UUID=mapping.id)
            return pending(mapping.id, "deleting")

        return each(resources, delete, "lambda:DeleteEventSourceMapping")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        lam = self.client(location)
        outcomes = []
        for mapping in resources:
            try:
                state = lam.get_event_source_mapping(UUID=mapping.id).get("State", "?")
            except ClientError as error:
                if error_code(error) == "ResourceNotFoundException":
                    outcomes.append(done(mapping.id))
                else:
                    outcomes.append(outcome(mapping.id, error, "lambda:GetEventSourceMapping"))
                continue
            outcomes.append(pending(mapping.id, str(state)))
        return outcomes


def _function_name(arn: Any) -> str | None:
    """The function's name from its ARN (arn:aws:lambda:region:account:function:NAME[:qualifier])."""
    if not isinstance(arn, str) or ":function:" not in arn:
        return None
    return arn.split(":function:", 1)[1].split(":", 1)[0]
