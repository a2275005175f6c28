from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_all_tags

SPEC = ResourceTypeSpec(
    key="sqs:queue",
    # no requires: a queue can be deleted while a Lambda event source mapping or an SNS
    # subscription still names it (those simply stop delivering)
    description="SQS queues (messages in them are lost)",
)


def _queue_tags(sqs: Any, url: str) -> dict[str, str]:
    return dict(sqs.list_queue_tags(QueueUrl=url).get("Tags", {}))


class SqsQueueHandler(AwsHandler):
    """A queue's ID is its URL (what every call takes), its name the URL's last part.

    AWS takes up to 60 seconds to delete a queue, during which it may still be listed; nothing of
    costzero's waits on a queue, so the accepted DeleteQueue settles it.
    """

    spec = SPEC
    free_because = "billed per request and data transfer; a queue has no standing charge"
    iam_actions = ("sqs:ListQueues", "sqs:ListQueueTags", "sqs:DeleteQueue")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        sqs = self.client(location)
        pages = sqs.get_paginator("list_queues").paginate(PaginationConfig={"PageSize": 1000})
        urls = [url for page in pages for url in page.get("QueueUrls", [])]
        tags = read_all_tags(_queue_tags, [(sqs, url) for url in urls])
        return [
            self.resource(location, url, name=url.rstrip("/").rsplit("/", 1)[-1], tags=queue_tags)
            for url, queue_tags in zip(urls, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        sqs = self.client(location)
        # no batch API; a queue already gone answers QueueDoesNotExist (gone, in the error table)
        return each(resources, lambda queue: sqs.delete_queue(QueueUrl=queue.id), "sqs:DeleteQueue")
