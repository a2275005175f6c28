from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_all_tags

SPEC = ResourceTypeSpec(
    key="sns:topic",
    # no requires: DeleteTopic deletes the topic's subscriptions with it, and an alarm or a bucket
    # notification naming a deleted topic simply has nowhere to publish
    description="SNS topics (their subscriptions are deleted with them)",
)


def _topic_tags(sns: Any, arn: str) -> list[dict[str, str]]:
    return list(sns.list_tags_for_resource(ResourceArn=arn).get("Tags", []))


class SnsTopicHandler(AwsHandler):
    """Topics are listed by ARN only; the name is the ARN's last part. Tags take one
    ListTagsForResource per topic (a few at a time)."""

    spec = SPEC
    free_because = "billed per publish, delivery and data transfer; a topic has no standing charge"
    iam_actions = ("sns:ListTopics", "sns:ListTagsForResource", "sns:DeleteTopic")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        sns = self.client(location)
        arns = [t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
        tags = read_all_tags(_topic_tags, [(sns, arn) for arn in arns])
        return [
            self.resource(location, arn, name=arn.rsplit(":", 1)[-1], tags=topic_tags)
            for arn, topic_tags in zip(arns, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        sns = self.client(location)
        # no batch API; DeleteTopic of a topic that no longer exists succeeds (NotFound -> gone too)
        return each(resources, lambda topic: sns.delete_topic(TopicArn=topic.id), "sns:DeleteTopic")
