from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, read_tags

SPEC = ResourceTypeSpec(
    key="firehose:delivery-stream",
    transition_seconds=30.0,  # DELETING -> gone (an estimate)
    description="Amazon Data Firehose delivery streams",
)


def _names(firehose: Any) -> list[str]:
    """Every delivery stream's name: ListDeliveryStreams pages by the last name seen (no paginator)."""
    names: list[str] = []
    while True:
        after = {"ExclusiveStartDeliveryStreamName": names[-1]} if names else {}
        page = firehose.list_delivery_streams(Limit=100, **after)
        names.extend(page.get("DeliveryStreamNames", []))
        if not page.get("HasMoreDeliveryStreams") or not page.get("DeliveryStreamNames"):
            return names


def _tags(firehose: Any, name: str) -> list[dict[str, str]]:
    """ListTagsForDeliveryStream pages by the last key seen (no paginator)."""
    tags: list[dict[str, str]] = []
    while True:
        after = {"ExclusiveStartTagKey": tags[-1]["Key"]} if tags else {}
        page = firehose.list_tags_for_delivery_stream(DeliveryStreamName=name, Limit=50, **after)
        tags.extend(page.get("Tags", []))
        if not page.get("HasMoreTags") or not page.get("Tags"):
            return tags


class FirehoseDeliveryStreamHandler(AwsHandler):
    spec = SPEC
    free_because = (
        "billed per GB ingested, converted or delivered, nothing while idle (delivery into a VPC "
        "also bills per hour and Availability Zone: not estimated)"
    )
    iam_actions = (
        "firehose:ListDeliveryStreams",
        "firehose:DescribeDeliveryStream",
        "firehose:ListTagsForDeliveryStream",
        "firehose:DeleteDeliveryStream",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        firehose = self.client(location)
        found = []
        for name in _names(firehose):
            try:
                reply = firehose.describe_delivery_stream(DeliveryStreamName=name)
            except ClientError as error:
                if outcome(name, error).kind is OutcomeKind.GONE:
                    continue  # deleted since the listing
                raise
            stream = reply["DeliveryStreamDescription"]
            source = (stream.get("Source") or {}).get("KinesisStreamSourceDescription") or {}
            found.append(
                self.resource(
                    location,
                    name,
                    name=name,
                    tags=read_tags(_tags, firehose, name),
                    created_at=stream.get("CreateTimestamp"),
                    attributes={
                        "status": stream.get("DeliveryStreamStatus"),
                        "type": stream.get("DeliveryStreamType"),
                        "source_stream_arn": source.get("KinesisStreamARN"),
                    },
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        firehose = self.client(location)

        def delete(stream: Resource) -> ResourceOutcome:  # no batch API
            if stream.attributes.get("status") == "DELETING":
                return pending(stream.id, "deleting")
            firehose.delete_delivery_stream(
                DeliveryStreamName=stream.id
            )  # CREATING: ResourceInUse -> not yet
            return pending(stream.id, "deleting")

        return each(resources, delete, "firehose:DeleteDeliveryStream")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        firehose = self.client(location)

        def check(stream: Resource) -> ResourceOutcome:
            try:
                reply = firehose.describe_delivery_stream(DeliveryStreamName=stream.id)
            except ClientError as error:
                if outcome(stream.id, error).kind is OutcomeKind.GONE:
                    return done(stream.id)
                raise
            return pending(stream.id, str(reply["DeliveryStreamDescription"].get("DeliveryStreamStatus")))

        return [check(stream) for stream in resources]
