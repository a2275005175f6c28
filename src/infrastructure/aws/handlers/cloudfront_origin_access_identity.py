from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each

SPEC = ResourceTypeSpec(
    key="cloudfront:origin-access-identity",
    scope=Scope.GLOBAL,  # CloudFront is account-wide
    requires=("cloudfront:distribution",),  # an identity in use by a distribution cannot be deleted
    linked_requires=("cloudfront:distribution",),  # discovery links it to the distributions using it
    taggable=False,  # origin access identities carry no tags
    description="CloudFront origin access identities (legacy S3 origin access)",
)
OAI_PREFIX = "origin-access-identity/cloudfront/"  # how an S3 origin names the identity it uses


class CloudFrontOriginAccessIdentityHandler(AwsHandler):
    """Each identity links to the distributions whose S3 origins use it: a kept distribution holds
    it back, one this run deletes goes first (CloudFrontOriginAccessIdentityInUse until then).
    Deleting names the identity's current ETag."""

    spec = SPEC
    free_because = "origin access identities have no charge"
    iam_actions = (
        "cloudfront:ListCloudFrontOriginAccessIdentities",
        "cloudfront:ListDistributions",
        "cloudfront:GetCloudFrontOriginAccessIdentity",
        "cloudfront:DeleteCloudFrontOriginAccessIdentity",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        cloudfront = self.client(location)
        users: dict[str, list[str]] = defaultdict(list)  # identity ID -> distributions using it
        for page in cloudfront.get_paginator("list_distributions").paginate():
            for distribution in page["DistributionList"].get("Items", []):
                for origin in distribution.get("Origins", {}).get("Items", []):
                    identity = origin.get("S3OriginConfig", {}).get("OriginAccessIdentity", "")
                    if identity.startswith(OAI_PREFIX):
                        users[identity.removeprefix(OAI_PREFIX)].append(distribution["Id"])
        pages = cloudfront.get_paginator("list_cloud_front_origin_access_identities").paginate()
        return [
            self.resource(
                location,
                item["Id"],
                name=item.get("Comment") or None,
                tags={},
                attributes={"canonical_user": item.get("S3CanonicalUserId")},
                links=tuple(
                    Link("cloudfront:distribution", d, "used by")
                    for d in dict.fromkeys(users.get(item["Id"], []))
                ),
            )
            for page in pages
            for item in page["CloudFrontOriginAccessIdentityList"].get("Items", [])
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        cloudfront = self.client(location)

        def delete(identity: Resource) -> None:
            etag = cloudfront.get_cloud_front_origin_access_identity(Id=identity.id)["ETag"]
            # CloudFrontOriginAccessIdentityInUse -> not yet; PreconditionFailed (changed) -> not yet
            cloudfront.delete_cloud_front_origin_access_identity(Id=identity.id, IfMatch=etag)

        return each(resources, delete, "cloudfront:DeleteCloudFrontOriginAccessIdentity")
