"""What a destroy cannot do because of what it keeps: resource-level links against the delete set."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from costzero.domain.resources import GLOBAL_REGION, Ref, Resource
from costzero.domain.safety import Kept


def hold_back(
    chosen: Iterable[Resource],
    kept: Mapping[Ref, str],
    selected: Iterable[str],
    unlisted: Iterable[str] = (),
    regions: Iterable[str] | None = None,
) -> tuple[list[Resource], list[Kept]]:
    """Split `chosen` into what can go and what a kept or unselected resource holds back.

    A resource can go when every resource it links to is itself going; otherwise it is held
    back with the first reason found ("attached to i-0abc, which is kept"), and so, in turn, is
    every resource linked to it (the snapshot behind an AMI that stays). `kept` maps the refs the
    run keeps (tag filters, costzero's own state) to why. A target of a type not in `selected`
    holds back too, and so does one of a type whose listing failed (`unlisted`: fail closed). A
    target of a selected, listed type that discovery did not find no longer exists (an address
    still naming the instance a half-finished run terminated): that link is stale and ignored;
    but only in the `regions` the run listed (all, when not given): a target in another region
    (a table's replica, a file system's replication source) holds back, since the run cannot
    know it and must not touch it.
    """
    resources = list(chosen)
    types = frozenset(selected)
    failed = frozenset(unlisted)
    where = None if regions is None else frozenset(regions) | {GLOBAL_REGION}
    going = {r.ref for r in resources}
    held: dict[Ref, str] = {}
    changed = True
    while changed:
        changed = False
        for resource in resources:
            if resource.ref in held:
                continue
            reason = _blocking_reason(resource, going, held, kept, types, failed, where)
            if reason is not None:
                held[resource.ref] = reason
                going.discard(resource.ref)
                changed = True
    free = [r for r in resources if r.ref not in held]
    blocked = [Kept(r, held[r.ref]) for r in resources if r.ref in held]
    return free, blocked


def _blocking_reason(
    resource: Resource,
    going: set[Ref],
    held: Mapping[Ref, str],
    kept: Mapping[Ref, str],
    types: frozenset[str],
    failed: frozenset[str],
    where: frozenset[str] | None,
) -> str | None:
    for link in resource.links:
        target = resource.ref_of(link)
        if target in going:
            continue
        if target in held:
            return f"{link.describe()}, which cannot go either"
        if target in kept:
            return f"{link.describe()}, which is kept ({kept[target]})"
        if link.type_key in failed:
            return f"{link.describe()}, whose type {link.type_key} could not be listed"
        if link.type_key not in types:
            return f"{link.describe()}, which is not selected ({link.type_key})"
        if where is not None and target[1] not in where:
            return f"{link.describe()} in {target[1]}, a region this run does not list"
    return None
