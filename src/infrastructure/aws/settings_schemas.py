"""What each parkable type's discovery puts in `attributes["settings"]`, declared as data: one strict
pydantic model per type. A state file's snapshots are checked against them before anything is
imported, and a meta-test proves that discovery's settings satisfy them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class InstanceState(_Settings):  # ec2:instance
    state: str


class GroupCapacity(_Settings):  # autoscaling:group
    min: int
    max: int
    desired: int
    suspended: list[str]


class DesiredCount(_Settings):  # ecs:service
    desired: int


class Status(_Settings):  # rds:db-instance, rds:db-cluster, sagemaker:notebook-instance
    status: str


class LambdaConcurrency(_Settings):  # lambda:function
    reserved: int | None
    enabled_mappings: list[str]
    settling: list[str]
    provisioned: list[dict[str, Any]]


class StreamCapacity(_Settings):  # kinesis:stream
    mode: str
    shards: int
    retention_hours: int | None


class TableCapacity(_Settings):  # dynamodb:table
    billing: str
    capacity: list[int] | None
    gsis: dict[str, list[int]]
    scaling: list[dict[str, Any]]
    status: str | None


class Endpoint(_Settings):  # sagemaker:endpoint, as snapshotted (while it exists)
    exists: bool
    config: str
    status: str
    tags: dict[str, str] | None


class AlarmActions(_Settings):  # cloudwatch:alarm
    actions_enabled: bool


class NodegroupScaling(_Settings):  # eks:nodegroup
    min: int | None
    max: int | None
    desired: int | None
    status: str | None


SETTINGS_SCHEMAS: dict[str, type[_Settings]] = {
    "ec2:instance": InstanceState,
    "autoscaling:group": GroupCapacity,
    "ecs:service": DesiredCount,
    "rds:db-instance": Status,
    "rds:db-cluster": Status,
    "sagemaker:notebook-instance": Status,
    "lambda:function": LambdaConcurrency,
    "kinesis:stream": StreamCapacity,
    "dynamodb:table": TableCapacity,
    "sagemaker:endpoint": Endpoint,
    "cloudwatch:alarm": AlarmActions,
    "eks:nodegroup": NodegroupScaling,
}


def settings_problem(type_key: str, settings: Mapping[str, Any]) -> str | None:
    """Why `settings` are not valid saved settings of `type_key` (one line), or None."""
    schema = SETTINGS_SCHEMAS.get(type_key)
    if schema is None:
        return f"{type_key} is not a type costzero parks"
    try:
        schema.model_validate(dict(settings))
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "settings"
        if first["type"] == "missing":
            return f"settings lack the field {field!r}"
        if first["type"] == "extra_forbidden":
            return f"settings have an unknown field {field!r}"
        return f"settings field {field!r}: {first['msg']} (got {first.get('input')!r})"
    return None
