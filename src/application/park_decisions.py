"""What a stop or start does with each selected resource, decided at planning time.

Listed resources are decided from their discovered settings; resources only an open snapshot knows
(`park_selection.unlisted_snapshots`) are read by ID first. The rules are the domain's
`decide_stop` / `decide_start`; this module feeds them the handler's view of each resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costzero.application.park_item import ParkItem
from costzero.application.ports import ParkHandler
from costzero.domain.parking import Decision, ParkRef, Snapshot, decide_start, decide_stop
from costzero.domain.resources import Action, Location, Resource
from costzero.domain.safety import Kept


def decide(
    action: Action,
    handler: ParkHandler,
    resources: list[Resource],
    unlisted: Mapping[str, Resource],
    snapshots: Mapping[str, Snapshot],
) -> tuple[list[ParkItem], list[Kept]]:
    """The items of one task, in the order of `resources`, and the resources its type cannot park.

    `unlisted` are the (chosen) resources only a snapshot knows, keyed by snapshot ref; `snapshots`
    every open snapshot of the account, by ref. Start leaves out what has no snapshot."""
    read = _read_unlisted(handler, resources, unlisted)
    items: list[ParkItem] = []
    kept: list[Kept] = []
    for resource in resources:
        ref = _ref(resource)
        snapshot = snapshots.get(ref.key)
        if ref.key in unlisted and snapshot is not None:
            current = read.get((ref.region, ref.resource_id))
            items.append(_decide_unlisted(action, handler, resource, snapshot, current))
            continue
        why_not = handler.unparkable(resource)
        if why_not:
            kept.append(Kept(resource, why_not))
            continue
        item = _decide_listed(action, handler, resource, snapshot)
        if item is not None:
            items.append(item)
    return items, kept


def _ref(resource: Resource) -> ParkRef:
    return ParkRef(resource.type_key, resource.account, resource.region, resource.id)


def _read_unlisted(
    handler: ParkHandler, resources: list[Resource], unlisted: Mapping[str, Resource]
) -> dict[tuple[str, str], dict[str, Any] | None]:
    """What listings did not show, read by ID in as few calls per location as the API allows;
    keyed by (region, id) (None: gone)."""
    ghosts: dict[Location, list[Resource]] = {}
    for resource in resources:
        if _ref(resource).key in unlisted:
            ghosts.setdefault(Location(resource.account, resource.region), []).append(resource)
    return {
        (location.region, resource_id): settings
        for location, group in ghosts.items()
        for resource_id, settings in handler.read_many(location, group).items()
    }


def _decide_unlisted(
    action: Action,
    handler: ParkHandler,
    resource: Resource,
    snapshot: Snapshot,
    current: dict[str, Any] | None,
) -> ParkItem:
    parked = handler.parked(snapshot.settings)
    if action is Action.START:
        decision, reason = decide_start(snapshot, current, parked, False)
    elif current is None:
        decision, reason = Decision.MISSING, "the resource no longer exists; its snapshot is kept"
    else:
        decision, reason = decide_stop(
            snapshot, current, parked, handler.looks_parked(current), handler.in_transition(current)
        )
    return ParkItem(resource, decision, reason, current or {}, parked, snapshot)


def _decide_listed(
    action: Action, handler: ParkHandler, resource: Resource, snapshot: Snapshot | None
) -> ParkItem | None:
    settings = dict(resource.attributes.get("settings", {}))
    if action is Action.STOP:
        parked = handler.parked(snapshot.settings if snapshot else settings)
        decision, reason = decide_stop(
            snapshot, settings, parked, handler.looks_parked(settings), handler.in_transition(settings)
        )
    elif snapshot is None:
        return None  # start touches only what costzero parked
    else:
        parked = handler.parked(snapshot.settings)
        decision, reason = decide_start(snapshot, settings, parked, handler.in_transition(settings))
    return ParkItem(resource, decision, reason, settings, parked, snapshot)
