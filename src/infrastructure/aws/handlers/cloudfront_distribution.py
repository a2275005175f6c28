from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.handler_kit.base import (
    AwsHandler,
    done,
    each,
    pending,
    read_all_tags,
)

SPEC = ResourceTypeSpec(
    key="cloudfront:distribution",
    scope=Scope.GLOBAL,  # CloudFront is account-wide
    transition_seconds=600.0,  # disabling deploys to every edge location: several minutes
    description="CloudFront distributions (disabled, then deleted once deployed)",
)


class CloudFrontDistributionHandler(AwsHandler):
    """CloudFront deletes only a distribution that is disabled and deployed (DistributionNotDisabled
    otherwise), and every change names the configuration's current ETag (PreconditionFailed when it
    moved on). So a delete disables an enabled distribution (PENDING); the confirmation deletes it
    once AWS reports it Deployed, with the ETag read just before.

    Not handled: a distribution in a continuous-deployment pair (the policy must be detached
    first): AWS's refusal is reported."""

    spec = SPEC
    free_because = "CloudFront bills requests and data transfer as they happen, nothing while idle"
    iam_actions = (
        "cloudfront:ListDistributions",
        "cloudfront:ListTagsForResource",
        "cloudfront:GetDistribution",
        "cloudfront:GetDistributionConfig",
        "cloudfront:UpdateDistribution",
        "cloudfront:DeleteDistribution",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        cloudfront = self.client(location)
        distributions = [
            item
            for page in cloudfront.get_paginator("list_distributions").paginate()
            for item in page["DistributionList"].get("Items", [])
        ]
        tags = read_all_tags(
            lambda arn: cloudfront.list_tags_for_resource(Resource=arn)["Tags"].get("Items", []),
            [(d["ARN"],) for d in distributions],
        )
        return [
            self.resource(
                location,
                item["Id"],
                name=item.get("DomainName"),
                tags=distribution_tags,
                created_at=item.get("LastModifiedTime"),
                attributes={
                    "status": item.get("Status"),
                    "enabled": item.get("Enabled"),
                    "aliases": item.get("Aliases", {}).get("Items", []),
                    "price_class": item.get("PriceClass"),
                },
            )
            for item, distribution_tags in zip(distributions, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        cloudfront = self.client(location)

        def delete(distribution: Resource) -> ResourceOutcome:
            reply = cloudfront.get_distribution_config(Id=distribution.id)
            config = reply["DistributionConfig"]
            if config.get("Enabled"):
                cloudfront.update_distribution(
                    Id=distribution.id, IfMatch=reply["ETag"], DistributionConfig={**config, "Enabled": False}
                )
                return pending(distribution.id, "disabling")
            return _delete_if_deployed(cloudfront, distribution.id)

        return each(resources, delete, "cloudfront:DeleteDistribution")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        cloudfront = self.client(location)
        return each(
            resources, lambda d: _delete_if_deployed(cloudfront, d.id), "cloudfront:DeleteDistribution"
        )


def _delete_if_deployed(cloudfront: Any, distribution_id: str) -> ResourceOutcome:
    """Delete a disabled distribution once deployed; NoSuchDistribution (gone) is settled by the
    error table."""
    reply = cloudfront.get_distribution(Id=distribution_id)
    status = reply["Distribution"]["Status"]
    if reply["Distribution"]["DistributionConfig"].get("Enabled"):
        return pending(distribution_id, f"{status}, still enabled")
    if status != "Deployed":
        return pending(distribution_id, f"{status}: disabling")
    cloudfront.delete_distribution(Id=distribution_id, IfMatch=reply["ETag"])
    return done(distribution_id)
