from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_all_tags
from costzero.infrastructure.aws.handler_kit.iam import caller, ignoring_gone

SPEC = ResourceTypeSpec(
    key="iam:user",
    scope=Scope.GLOBAL,  # IAM is account-wide
    description="IAM users, with their credentials, MFA devices, group memberships and policies",
)


class IamUserHandler(AwsHandler):
    """IAM users other than the caller. DeleteUser fails (DeleteConflict) while a user has anything
    attached, so each is stripped first: access keys, console password, MFA devices (deactivated;
    a virtual device stays as an unassigned device), signing certificates, SSH keys,
    service-specific credentials, group memberships, managed policies (detached) and inline
    policies (deleted)."""

    spec = SPEC
    free_because = "IAM has no charge"
    iam_actions = (
        "sts:GetCallerIdentity",
        "iam:ListUsers",
        "iam:ListUserTags",
        "iam:ListAccessKeys",
        "iam:DeleteAccessKey",
        "iam:DeleteLoginProfile",
        "iam:ListMFADevices",
        "iam:DeactivateMFADevice",
        "iam:ListSigningCertificates",
        "iam:DeleteSigningCertificate",
        "iam:ListSSHPublicKeys",
        "iam:DeleteSSHPublicKey",
        "iam:ListServiceSpecificCredentials",
        "iam:DeleteServiceSpecificCredential",
        "iam:ListGroupsForUser",
        "iam:RemoveUserFromGroup",
        "iam:ListAttachedUserPolicies",
        "iam:DetachUserPolicy",
        "iam:ListUserPolicies",
        "iam:DeleteUserPolicy",
        "iam:DeleteUser",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        iam = self.client(location)
        own = caller(self.client(location, service="sts")).user
        users = [
            user
            for page in iam.get_paginator("list_users").paginate()
            for user in page["Users"]
            if user["UserName"] != own
        ]
        tags = read_all_tags(
            lambda name: iam.list_user_tags(UserName=name)["Tags"], [(u["UserName"],) for u in users]
        )
        return [
            self.resource(
                location,
                user["UserName"],
                name=user["UserName"],
                tags=user_tags,
                created_at=user.get("CreateDate"),
                attributes={"arn": user.get("Arn"), "path": user.get("Path")},
            )
            for user, user_tags in zip(users, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        iam = self.client(location)

        def delete(user: Resource) -> None:
            _strip(iam, user.id)
            iam.delete_user(UserName=user.id)  # DeleteConflict (something added meanwhile) -> not yet

        return each(resources, delete, "iam:DeleteUser")


def _strip(iam: Any, name: str) -> None:
    """Remove everything DeleteUser refuses to delete a user with."""
    for page in iam.get_paginator("list_access_keys").paginate(UserName=name):
        for key in page["AccessKeyMetadata"]:
            ignoring_gone(iam.delete_access_key, UserName=name, AccessKeyId=key["AccessKeyId"])
    ignoring_gone(iam.delete_login_profile, UserName=name)  # NoSuchEntity: no console password
    for page in iam.get_paginator("list_mfa_devices").paginate(UserName=name):
        for device in page["MFADevices"]:
            ignoring_gone(iam.deactivate_mfa_device, UserName=name, SerialNumber=device["SerialNumber"])
    for page in iam.get_paginator("list_signing_certificates").paginate(UserName=name):
        for certificate in page["Certificates"]:
            ignoring_gone(
                iam.delete_signing_certificate, UserName=name, CertificateId=certificate["CertificateId"]
            )
    for page in iam.get_paginator("list_ssh_public_keys").paginate(UserName=name):
        for ssh_key in page["SSHPublicKeys"]:
            ignoring_gone(iam.delete_ssh_public_key, UserName=name, SSHPublicKeyId=ssh_key["SSHPublicKeyId"])
    # not paginated: a user holds at most two per service
    for credential in iam.list_service_specific_credentials(UserName=name)["ServiceSpecificCredentials"]:
        ignoring_gone(
            iam.delete_service_specific_credential,
            UserName=name,
            ServiceSpecificCredentialId=credential["ServiceSpecificCredentialId"],
        )
    for page in iam.get_paginator("list_groups_for_user").paginate(UserName=name):
        for group in page["Groups"]:
            ignoring_gone(iam.remove_user_from_group, GroupName=group["GroupName"], UserName=name)
    for page in iam.get_paginator("list_attached_user_policies").paginate(UserName=name):
        for policy in page["AttachedPolicies"]:
            ignoring_gone(iam.detach_user_policy, UserName=name, PolicyArn=policy["PolicyArn"])
    for page in iam.get_paginator("list_user_policies").paginate(UserName=name):
        for policy_name in page["PolicyNames"]:
            ignoring_gone(iam.delete_user_policy, UserName=name, PolicyName=policy_name)
