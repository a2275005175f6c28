"""Seeding helpers for the EFS handler tests."""

from __future__ import annotations

from typing import Any


def seed_file_system(seed: Any, token: str, tags: list[dict[str, str]] | None = None) -> str:
    return str(seed("efs").create_file_system(CreationToken=token, Tags=tags or [])["FileSystemId"])


def seed_mount_target(seed: Any, file_system_id: str) -> str:
    subnet = seed("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    return str(seed("efs").create_mount_target(FileSystemId=file_system_id, SubnetId=subnet)["MountTargetId"])


def seed_access_point(seed: Any, file_system_id: str, tags: list[dict[str, str]] | None = None) -> str:
    reply = seed("efs").create_access_point(
        ClientToken=f"{file_system_id}-ap", FileSystemId=file_system_id, Tags=tags or []
    )
    return str(reply["AccessPointId"])
