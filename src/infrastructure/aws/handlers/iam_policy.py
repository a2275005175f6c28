from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.errors import error_code
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_all_tags
from costzero.infrastructure.aws.handler_kit.iam import Caller, caller, ignoring_gone

SPEC = ResourceTypeSpec(
    key="iam:policy",
    scope=Scope.GLOBAL,  # IAM is account-wide
    requires=(
        "iam:role",  # a policy attached to a role goes after the role (a kept role keeps it)
        "iam:user",  # likewise for users
    ),
    linked_requires=("iam:role", "iam:user"),  # discovery links each policy to its roles and users
    description="Customer-managed IAM policies, detached from everything and all versions deleted",
)


class IamPolicyHandler(AwsHandler):
    """Customer-managed policies (ListPolicies Scope=Local; AWS-managed ones are never listed).

    Each policy links to the roles and users it is attached to, so a kept role or user holds it
    back and one being deleted goes first. Deleting detaches it from whatever still holds it
    (groups, which costzero does not delete, and attachments made since discovery), deletes its
    non-default versions, then the policy. Never listed: a policy attached to the caller itself
    (its role, or its user and the user's groups): deleting it could take away costzero's own
    permissions half way through."""

    spec = SPEC
    free_because = "IAM has no charge"
    iam_actions = (
        "sts:GetCallerIdentity",
        "iam:ListPolicies",
        "iam:ListPolicyTags",
        "iam:ListEntitiesForPolicy",
        "iam:ListAttachedRolePolicies",
        "iam:ListAttachedUserPolicies",
        "iam:ListAttachedGroupPolicies",
        "iam:ListGroupsForUser",
        "iam:DetachRolePolicy",
        "iam:DetachUserPolicy",
        "iam:DetachGroupPolicy",
        "iam:ListPolicyVersions",
        "iam:DeletePolicyVersion",
        "iam:DeletePolicy",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        iam = self.client(location)
        own = _callers_policies(iam, caller(self.client(location, service="sts")))
        policies = [
            policy
            for page in iam.get_paginator("list_policies").paginate(Scope="Local")
            for policy in page["Policies"]
            if policy["Arn"] not in own
        ]
        tags = read_all_tags(
            lambda arn: iam.list_policy_tags(PolicyArn=arn)["Tags"], [(p["Arn"],) for p in policies]
        )
        return [
            self.resource(
                location,
                policy["Arn"],
                name=policy["PolicyName"],
                tags=policy_tags,
                created_at=policy.get("CreateDate"),
                attributes={"path": policy.get("Path"), "attachments": policy.get("AttachmentCount")},
                links=_holders(iam, policy["Arn"]) if policy.get("AttachmentCount") else (),
            )
            for policy, policy_tags in zip(policies, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        iam = self.client(location)

        def delete(policy: Resource) -> None:
            arn = policy.id
            for page in iam.get_paginator("list_entities_for_policy").paginate(PolicyArn=arn):
                for group in page.get("PolicyGroups", []):
                    ignoring_gone(iam.detach_group_policy, GroupName=group["GroupName"], PolicyArn=arn)
                for user in page.get("PolicyUsers", []):
                    ignoring_gone(iam.detach_user_policy, UserName=user["UserName"], PolicyArn=arn)
                for role in page.get("PolicyRoles", []):
                    ignoring_gone(iam.detach_role_policy, RoleName=role["RoleName"], PolicyArn=arn)
            for page in iam.get_paginator("list_policy_versions").paginate(PolicyArn=arn):
                for version in page["Versions"]:  # the default version goes with the policy
                    if not version["IsDefaultVersion"]:
                        ignoring_gone(
                            iam.delete_policy_version, PolicyArn=arn, VersionId=version["VersionId"]
                        )
            iam.delete_policy(PolicyArn=arn)  # DeleteConflict (attached meanwhile) -> not yet

        return each(resources, delete, "iam:DeletePolicy")


def _holders(iam: Any, arn: str) -> tuple[Link, ...]:
    links: list[Link] = []
    for page in iam.get_paginator("list_entities_for_policy").paginate(PolicyArn=arn):
        links.extend(Link("iam:role", r["RoleName"], "attached to") for r in page.get("PolicyRoles", []))
        links.extend(Link("iam:user", u["UserName"], "attached to") for u in page.get("PolicyUsers", []))
    return tuple(links)


def _callers_policies(iam: Any, who: Caller) -> set[str]:
    """The ARNs of the managed policies that give the caller its permissions (none when its role
    or user is not this account's)."""
    try:
        return _attached_to_caller(iam, who)
    except ClientError as error:
        if error_code(error) == "NoSuchEntity":
            return set()
        raise


def _attached_to_caller(iam: Any, who: Caller) -> set[str]:
    arns: set[str] = set()
    if who.role:
        pages = iam.get_paginator("list_attached_role_policies").paginate(RoleName=who.role)
        arns.update(p["PolicyArn"] for page in pages for p in page["AttachedPolicies"])
    if who.user:
        pages = iam.get_paginator("list_attached_user_policies").paginate(UserName=who.user)
        arns.update(p["PolicyArn"] for page in pages for p in page["AttachedPolicies"])
        for page in iam.get_paginator("list_groups_for_user").paginate(UserName=who.user):
            for group in page["Groups"]:
                attached = iam.get_paginator("list_attached_group_policies").paginate(
                    GroupName=group["GroupName"]
                )
                arns.update(p["PolicyArn"] for sub in attached for p in sub["AttachedPolicies"])
    return arns
