"""EFS listings shared by the file system, mount target and access point handlers."""

from __future__ import annotations

from typing import Any


def file_systems(efs: Any) -> list[dict[str, Any]]:
    """Every file system of the region (DescribeFileSystems pages)."""
    pages = efs.get_paginator("describe_file_systems").paginate()
    return [fs for page in pages for fs in page.get("FileSystems", [])]


def mount_targets(efs: Any, file_system_id: str) -> list[dict[str, Any]]:
    """The mount targets of one file system (DescribeMountTargets needs a file system, mount
    target or access point ID: it has no account-wide listing)."""
    pages = efs.get_paginator("describe_mount_targets").paginate(FileSystemId=file_system_id)
    return [target for page in pages for target in page.get("MountTargets", [])]


def access_points(efs: Any) -> list[dict[str, Any]]:
    """Every access point of the region (DescribeAccessPoints without a filter lists them all)."""
    pages = efs.get_paginator("describe_access_points").paginate()
    return [point for page in pages for point in page.get("AccessPoints", [])]
