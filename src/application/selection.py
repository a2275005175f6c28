from __future__ import annotations

from costzero.application.ports import CloudAccess
from costzero.domain.errors import UnknownSelectionError

ALL_REGIONS = "all"


def resolve_regions(cloud: CloudAccess, requested: tuple[str, ...]) -> tuple[str, ...]:
    """The requested regions, checked against the account's (`all`: every enabled region)."""
    if not requested:
        raise UnknownSelectionError("no region selected")
    enabled = cloud.enabled_regions()
    if ALL_REGIONS in requested:
        return enabled
    for region in requested:
        if region not in enabled:
            raise UnknownSelectionError(f"unknown region {region!r}")
    return tuple(dict.fromkeys(requested))
