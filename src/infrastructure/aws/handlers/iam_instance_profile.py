from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_all_tags
from costzero.infrastructure.aws.handler_kit.iam import aws_managed_path, caller, ignoring_gone

SPEC = ResourceTypeSpec(
    key="iam:instance-profile",
    scope=Scope.GLOBAL,  # IAM is account-wide
    requires=(
        "ec2:instance",  # a running instance keeps using its profile's role credentials
        "autoscaling:group",  # a group launches new instances with the profile
        "elasticbeanstalk:environment",  # an environment's instances run under its instance profile
    ),
    description="IAM instance profiles (their roles are removed from them first)",
)


class IamInstanceProfileHandler(AwsHandler):
    """Instance profiles, each emptied of its role (one at most) and deleted.

    Never listed: profiles under an AWS-reserved path, and any profile holding the caller's own
    role (removing it would cut off the instance costzero itself may be running on)."""

    spec = SPEC
    free_because = "IAM has no charge"
    iam_actions = (
        "sts:GetCallerIdentity",
        "iam:ListInstanceProfiles",
        "iam:GetInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:DeleteInstanceProfile",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        iam = self.client(location)
        own_role = caller(self.client(location, service="sts")).role
        profiles = [
            profile
            for page in iam.get_paginator("list_instance_profiles").paginate()
            for profile in page["InstanceProfiles"]
            if not aws_managed_path(profile.get("Path"))
            and own_role not in {r["RoleName"] for r in profile.get("Roles", [])}
        ]
        tags = read_all_tags(
            # ListInstanceProfiles has no tags; GetInstanceProfile has (moto lacks ListInstanceProfileTags)
            lambda name: iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"].get(
                "Tags", []
            ),
            [(p["InstanceProfileName"],) for p in profiles],
        )
        return [
            self.resource(
                location,
                profile["InstanceProfileName"],
                name=profile["InstanceProfileName"],
                tags=profile_tags,
                created_at=profile.get("CreateDate"),
                attributes={
                    "arn": profile.get("Arn"),
                    "roles": [r["RoleName"] for r in profile.get("Roles", [])],
                },
            )
            for profile, profile_tags in zip(profiles, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        iam = self.client(location)

        def delete(profile: Resource) -> None:
            # the roles it holds now (a role may have been added since discovery)
            roles = iam.get_instance_profile(InstanceProfileName=profile.id)["InstanceProfile"]["Roles"]
            for role in roles:
                ignoring_gone(
                    iam.remove_role_from_instance_profile,
                    InstanceProfileName=profile.id,
                    RoleName=role["RoleName"],
                )
            iam.delete_instance_profile(InstanceProfileName=profile.id)

        return each(resources, delete, "iam:DeleteInstanceProfile")
