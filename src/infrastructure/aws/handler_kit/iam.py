"""What the IAM handlers share: who the caller is, so that a destroy never removes its own access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from costzero.infrastructure.aws.errors import error_code

# Paths AWS reserves for roles it creates and manages: service-linked roles (deleted only through
# their service) and IAM Identity Center's permission-set roles.
AWS_PATHS = ("/aws-service-role/", "/aws-reserved/")


def aws_managed_path(path: str | None) -> bool:
    return any((path or "/").startswith(prefix) for prefix in AWS_PATHS)


@dataclass(frozen=True)
class Caller:
    """The principal making the calls, from sts:GetCallerIdentity's ARN: an IAM user
    (arn:aws:iam::1:user/path/name), a role session (arn:aws:sts::1:assumed-role/name/session),
    or neither (the root user, a federated user): then `role` and `user` are None."""

    arn: str
    role: str | None = None
    user: str | None = None

    @classmethod
    def of(cls, arn: str) -> Caller:
        resource = arn.split(":", 5)[-1]  # "assumed-role/name/session", "user/path/name", "root"
        kind, _, rest = resource.partition("/")
        if kind == "assumed-role" and rest:
            return cls(arn, role=rest.split("/", 1)[0])
        if kind == "user" and rest:
            return cls(arn, user=rest.rsplit("/", 1)[-1])
        return cls(arn)


def caller(sts: Any) -> Caller:
    return Caller.of(str(sts.get_caller_identity()["Arn"]))


def ignoring_gone(call: Any, **params: Any) -> None:
    """A detach, removal or delete whose target went meanwhile has done what it was for."""
    try:
        call(**params)
    except ClientError as error:
        if error_code(error) != "NoSuchEntity":
            raise
