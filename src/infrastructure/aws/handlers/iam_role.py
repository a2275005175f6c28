from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_all_tags
from costzero.infrastructure.aws.handler_kit.iam import aws_managed_path, caller, ignoring_gone

SPEC = ResourceTypeSpec(
    key="iam:role",
    scope=Scope.GLOBAL,  # IAM is account-wide
    requires=(
        "iam:instance-profile",  # a role in an instance profile cannot be deleted (DeleteConflict)
        "cloudformation:stack",  # a stack is deleted with its service role's permissions
        "elasticbeanstalk:environment",  # terminating an environment uses its service role
        "eks:nodegroup",  # a node group whose node role is gone can fail to delete
        "lambda:function",  # a function runs under its execution role until it is gone
        "eks:cluster",  # a cluster is deleted with its service role's permissions
        "eks:fargate-profile",
        "sagemaker:notebook-instance",
        "sagemaker:model",
    ),
    linked_requires=("iam:instance-profile",),  # discovery links each role to its profiles
    description="IAM roles, with their policies detached and inline policies deleted",
)


class IamRoleHandler(AwsHandler):
    """Roles you created. Never listed: service-linked roles (/aws-service-role/, deleted only
    through their service), IAM Identity Center's (/aws-reserved/), and the caller's own role."""

    spec = SPEC
    free_because = "IAM has no charge"
    iam_actions = (
        "sts:GetCallerIdentity",
        "iam:ListRoles",
        "iam:ListRoleTags",
        "iam:ListInstanceProfiles",
        "iam:ListInstanceProfilesForRole",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:ListAttachedRolePolicies",
        "iam:DetachRolePolicy",
        "iam:ListRolePolicies",
        "iam:DeleteRolePolicy",
        "iam:DeleteRole",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        iam = self.client(location)
        own = caller(self.client(location, service="sts")).role
        roles = [
            role
            for page in iam.get_paginator("list_roles").paginate()
            for role in page["Roles"]
            if not aws_managed_path(role.get("Path")) and role["RoleName"] != own
        ]
        profiles: dict[str, list[str]] = defaultdict(list)  # role name -> its instance profiles
        for page in iam.get_paginator("list_instance_profiles").paginate():
            for profile in page["InstanceProfiles"]:
                for role in profile.get("Roles", []):
                    profiles[role["RoleName"]].append(profile["InstanceProfileName"])
        # ListRoles returns no tags: one ListRoleTags per role (50 tags at most: one page)
        tags = read_all_tags(
            lambda name: iam.list_role_tags(RoleName=name)["Tags"], [(r["RoleName"],) for r in roles]
        )
        return [
            self.resource(
                location,
                role["RoleName"],
                name=role["RoleName"],
                tags=role_tags,
                created_at=role.get("CreateDate"),
                attributes={"arn": role.get("Arn"), "path": role.get("Path")},
                links=tuple(
                    Link("iam:instance-profile", name, "in instance profile")
                    for name in profiles.get(role["RoleName"], [])
                ),
            )
            for role, role_tags in zip(roles, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        iam = self.client(location)

        def delete(role: Resource) -> None:
            name = role.id
            # profiles it joined since discovery (those it was in went first, by their links)
            for page in iam.get_paginator("list_instance_profiles_for_role").paginate(RoleName=name):
                for profile in page["InstanceProfiles"]:
                    ignoring_gone(
                        iam.remove_role_from_instance_profile,
                        InstanceProfileName=profile["InstanceProfileName"],
                        RoleName=name,
                    )
            for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=name):
                for policy in page["AttachedPolicies"]:
                    ignoring_gone(iam.detach_role_policy, RoleName=name, PolicyArn=policy["PolicyArn"])
            for page in iam.get_paginator("list_role_policies").paginate(RoleName=name):
                for policy_name in page["PolicyNames"]:
                    ignoring_gone(iam.delete_role_policy, RoleName=name, PolicyName=policy_name)
            iam.delete_role(RoleName=name)  # DeleteConflict (attached meanwhile) -> not yet

        return each(resources, delete, "iam:DeleteRole")
