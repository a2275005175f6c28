from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec

PARKABLE = frozenset({Action.DELETE, Action.STOP, Action.START})
MOVING = frozenset({"stopping", "starting"})


def parkable(key: str, **spec: Any) -> ResourceTypeSpec:
    """A type that can be stopped and started."""
    return ResourceTypeSpec(key, actions=PARKABLE, **spec)


@dataclass
class _Live:
    resource: Resource  # identity, name, tags; its attributes are rebuilt at every listing
    settings: dict[str, Any]
    target: dict[str, Any] | None = None  # where a call under way leads
    moving: int = 0  # looks left in transition before the target is reached


@dataclass
class FakeParkHandler:
    """An in-memory ParkHandler: resources with live settings that stop and start really change.

    Parking sets the `parked_values` fields (default: status "stopped"); starting puts back the
    restore target (the saved values of those fields). `status` "stopping"/"starting" is in
    transition. Scripts a test can set:
    - `lag[id] = n`: the next stop/start of `id` answers PENDING and the resource reads as in
      transition for n looks (listing or reading) before it reaches its target;
    - `outcome[id] = kind`: stop/start answer that kind for `id` and change nothing;
    - `unparkable_ids[id] = why`; `call_error`: the next stop/start call raises it;
    - `vanish(id)` (the resource disappears), `drift(id, **fields)` (someone else changes it),
      `transition(id, n, **fields)` (someone else's change, in transition for n looks);
    - `change_limit` and `count_changes` (default: the parked fields that differ).
    `calls` logs every stop/start as (verb, region, ids); `called[(verb, id)]` counts them.
    """

    spec: ResourceTypeSpec
    parked_values: dict[str, Any] = field(default_factory=lambda: {"status": "stopped"})
    live: dict[str, _Live] = field(default_factory=dict)
    lag: dict[str, int] = field(default_factory=dict)
    outcome: dict[str, OutcomeKind] = field(default_factory=dict)
    unparkable_ids: dict[str, str] = field(default_factory=dict)
    call_error: Exception | None = None
    change_limit: int | None = None
    count_changes: Callable[[Mapping[str, Any], Mapping[str, Any]], int] | None = None
    calls: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    called: dict[tuple[str, str], int] = field(default_factory=dict)
    saved_seen: dict[str, dict[str, Any]] = field(default_factory=dict)
    log: list[str] | None = None  # shared across handlers: "stop ec2:instance" in call order

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    # -- scenery -----------------------------------------------------------------------------
    def add(
        self, account: str, region: str, resource_id: str, settings: Mapping[str, Any], **fields: Any
    ) -> Resource:
        fields.setdefault("name", resource_id)
        resource = Resource(self.spec.key, resource_id, account, region, **fields)
        self.live[resource_id] = _Live(resource, dict(settings))
        return resource

    def vanish(self, resource_id: str) -> None:
        del self.live[resource_id]

    def drift(self, resource_id: str, **fields: Any) -> None:
        self.live[resource_id].settings.update(fields)

    def transition(self, resource_id: str, looks: int, **fields: Any) -> None:
        """Someone else's change under way: in transition for `looks` looks, then `fields` set."""
        live = self.live[resource_id]
        live.target, live.moving = {**live.settings, **fields}, looks

    def settings(self, resource_id: str) -> dict[str, Any]:
        """What the resource is now, without counting as a look."""
        live = self.live[resource_id]
        return dict(live.target if live.target is not None and not live.moving else live.settings)

    def count(self, verb: str) -> int:
        return sum(n for (v, _), n in self.called.items() if v == verb)

    # -- ParkHandler -------------------------------------------------------------------------
    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        with self._lock:
            found = []
            for live in self.live.values():
                r = live.resource
                here = r.region in regions if self.spec.is_global else r.region == location.region
                if r.account == location.account and here:
                    found.append(replace(r, attributes={"settings": self._look(live)}))
            return found

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self.parked_values)

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return all(settings.get(k) == v for k, v in self.parked_values.items())

    def in_transition(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("status") in MOVING

    def unparkable(self, resource: Resource) -> str | None:
        return self.unparkable_ids.get(resource.id)

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._call("stop", location, resources, saved)

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._call("start", location, resources, saved)

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        with self._lock:
            live = self.live.get(resource.id)
            return self._look(live) if live is not None else None

    def read_many(
        self, location: Location, resources: Sequence[Resource]
    ) -> dict[str, dict[str, Any] | None]:
        return {r.id: self.read(location, r) for r in resources}

    def changes(self, current: Mapping[str, Any], target: Mapping[str, Any]) -> int:
        if self.count_changes is not None:
            return self.count_changes(current, target)
        if self.change_limit is None:
            return 0
        return sum(1 for k in self.parked_values if current.get(k) != target.get(k))

    def restore_target(self, saved: Mapping[str, Any], parked: Mapping[str, Any]) -> dict[str, Any]:
        return {k: saved.get(k) for k in parked}

    # -- behind the port ---------------------------------------------------------------------
    def _look(self, live: _Live) -> dict[str, Any]:
        if live.moving > 0:
            live.moving -= 1
            return {**live.settings, "status": "stopping" if self._stopping(live) else "starting"}
        if live.target is not None:
            live.settings, live.target = live.target, None
        return dict(live.settings)

    def _stopping(self, live: _Live) -> bool:
        return live.target is not None and self.looks_parked(live.target)

    def _call(
        self,
        verb: str,
        location: Location,
        resources: Sequence[Resource],
        saved: Mapping[str, Mapping[str, Any]],
    ) -> list[ResourceOutcome]:
        with self._lock:
            if self.log is not None:
                self.log.append(f"{verb} {self.spec.key}")
            self.calls.append((verb, location.region, tuple(r.id for r in resources)))
            if self.call_error is not None:
                error, self.call_error = self.call_error, None
                raise error
            return [self._one(verb, r, saved.get(r.id)) for r in resources]

    def _one(self, verb: str, resource: Resource, saved: Mapping[str, Any] | None) -> ResourceOutcome:
        self.called[(verb, resource.id)] = self.called.get((verb, resource.id), 0) + 1
        if saved is not None:
            self.saved_seen[resource.id] = dict(saved)
        if resource.id in self.outcome:
            return ResourceOutcome(resource.id, self.outcome[resource.id], "scripted")
        live = self.live.get(resource.id)
        if live is None:
            return ResourceOutcome(resource.id, OutcomeKind.GONE, "not found")
        if verb == "stop":
            live.target = {**live.settings, **self.parked_values}
        elif saved is None:
            return ResourceOutcome(resource.id, OutcomeKind.FAILED, "start without saved settings")
        else:
            live.target = {**live.settings, **self.restore_target(saved, self.parked_values)}
        live.moving = self.lag.pop(resource.id, 0)
        if live.moving:
            return ResourceOutcome(resource.id, OutcomeKind.PENDING, f"{verb} accepted")
        live.settings, live.target = live.target, None
        return ResourceOutcome(resource.id, OutcomeKind.DONE)
