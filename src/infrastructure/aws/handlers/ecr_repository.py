from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import TAG_READERS, AwsHandler, each, tag_dict

SPEC = ResourceTypeSpec(
    key="ecr:repository",
    # nothing must go first: a running task keeps its pulled image; new pulls fail once it is gone
    description="ECR private repositories (deleted with their images)",
)
GB = 1024**3  # the Price List's GB of storage is 2^30 bytes


class EcrRepositoryHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "ecr:DescribeRepositories",
        "ecr:ListTagsForResource",
        "ecr:DescribeImages",
        "ecr:DeleteRepository",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ecr = self.client(location)
        repositories = [
            repository
            for page in ecr.get_paginator("describe_repositories").paginate()
            for repository in page["repositories"]
        ]
        if not repositories:
            return []
        # neither the tags nor the images are in the listing: read per repository, a few at a time
        with ThreadPoolExecutor(max_workers=min(TAG_READERS, len(repositories))) as pool:
            details = list(pool.map(lambda repository: _details(ecr, repository), repositories))
        return [
            self.resource(
                location,
                repository["repositoryName"],
                name=repository["repositoryName"],
                tags=tags,
                created_at=repository.get("createdAt"),
                attributes={"arn": repository.get("repositoryArn"), "images": images, "image_bytes": size},
            )
            for repository, (tags, images, size) in zip(repositories, details, strict=True)
        ]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Image storage per GB-month. The sum of the images' sizes counts a layer shared by
        several images once per image, so it is an upper bound of what ECR bills; None when the
        images could not be read."""
        size = resource.attributes.get("image_bytes")
        images = resource.attributes.get("images")
        quantity = size / GB if isinstance(size, int | float) else None
        note = (
            f"{images} image(s), shared layers counted per image"
            if quantity is not None
            else "images not read"
        )
        return (
            Usage(
                "AmazonECR",
                "TimedStorage-ByteHrs",
                "GB-Mo",
                quantity,
                CostPart.STORAGE,
                monthly=True,
                note=note,
            ),
        )

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ecr = self.client(location)
        # force: with its images (RepositoryNotEmptyException otherwise); RepositoryNotFound: gone
        return each(
            resources,
            lambda repository: ecr.delete_repository(repositoryName=repository.id, force=True),
            "ecr:DeleteRepository",
        )


def _details(ecr: Any, repository: Mapping[str, Any]) -> tuple[dict[str, str] | None, int | None, int | None]:
    """(tags or None when unreadable, image count, their summed size in bytes; both None when unreadable)."""
    try:
        tags: dict[str, str] | None = tag_dict(
            ecr.list_tags_for_resource(resourceArn=repository["repositoryArn"]).get("tags")
        )
    except (ClientError, BotoCoreError):
        tags = None
    try:
        pages = ecr.get_paginator("describe_images").paginate(
            repositoryName=repository["repositoryName"], registryId=repository["registryId"]
        )
        sizes = [int(image.get("imageSizeInBytes") or 0) for page in pages for image in page["imageDetails"]]
    except (ClientError, BotoCoreError):
        return tags, None, None
    return tags, len(sizes), sum(sizes)
