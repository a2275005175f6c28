"""Which resources a stop, start or status covers beyond what discovery lists, and group membership."""

from __future__ import annotations

from collections.abc import Iterable

from costzero.domain.parking import ParkRef, Snapshot
from costzero.domain.resources import Resource
from costzero.domain.safety import Kept, TagFilter
from costzero.domain.tasks import TaskKey


def unlisted_snapshots(
    key: TaskKey, listed: list[Resource], snapshots: Iterable[Snapshot]
) -> dict[str, Resource]:
    """Open snapshots of this task whose resource discovery did not list: gone, or parked by not
    existing (a deleted SageMaker endpoint), so that stop, start and status all see them.
    Keyed by snapshot ref."""
    known = {ParkRef(r.type_key, r.account, r.region, r.id).key for r in listed}
    return {
        snapshot.ref.key: Resource(
            snapshot.ref.type_key,
            snapshot.ref.resource_id,
            snapshot.ref.account,
            snapshot.ref.region,
            name=snapshot.name,
            tags=snapshot.tags,
        )
        for snapshot in snapshots
        if snapshot.ref.type_key == key.type_key
        and snapshot.ref.key not in known
        and key.region in (snapshot.ref.region, "global")
    }


def in_group(resources: list[Resource], include: tuple[TagFilter, ...]) -> tuple[list[Resource], list[Kept]]:
    if not include:
        return resources, []
    chosen, kept = [], []
    for resource in resources:
        if resource.tags is None:
            kept.append(Kept(resource, "tags could not be read, so group membership is unknown (kept)"))
        elif all(f.matches(dict(resource.tags)) for f in include):
            chosen.append(resource)
    return chosen, kept
