from __future__ import annotations

from collections.abc import Iterable, Sequence
from graphlib import CycleError, TopologicalSorter

from costzero.domain.errors import RegistryError, UnknownSelectionError, UnsupportedActionError
from costzero.domain.resources import Action, ResourceTypeSpec


class ResourceRegistry:
    """The validated catalogue of resource types.

    Built from an explicit tuple of specs; refuses duplicate keys, `requires` naming unknown types,
    and cycles (the error names the cycle).
    """

    def __init__(self, specs: Iterable[ResourceTypeSpec]) -> None:
        self._specs: dict[str, ResourceTypeSpec] = {}
        for spec in specs:
            if spec.key in self._specs:
                raise RegistryError(f"resource type {spec.key!r} is registered twice")
            self._specs[spec.key] = spec
        for spec in self._specs.values():
            for required in spec.requires:
                if required not in self._specs:
                    raise RegistryError(f"{spec.key} requires unknown resource type {required!r}")
        try:
            tuple(TopologicalSorter(self.edges()).static_order())
        except CycleError as error:
            cycle = error.args[1]
            raise RegistryError("registry cycle: " + " -> ".join(reversed(cycle))) from None

    def edges(self) -> dict[str, tuple[str, ...]]:
        return {key: spec.requires for key, spec in self._specs.items()}

    def __contains__(self, key: object) -> bool:
        return key in self._specs

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def get(self, key: str) -> ResourceTypeSpec:
        try:
            return self._specs[key]
        except KeyError:
            raise UnknownSelectionError(
                f"unknown resource type {key!r} (known: {', '.join(sorted(self._specs))})"
            ) from None

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(sorted({spec.service for spec in self._specs.values()}))

    def select(
        self, services: Sequence[str] = (), types: Sequence[str] = (), action: str | None = None
    ) -> tuple[str, ...]:
        """Type keys chosen by `--service` and `--type` (both empty: every type), narrowed to the
        types that support `action`.

        Raises UnknownSelectionError naming the first unknown service or type, and
        UnsupportedActionError when a named type, or every type of a named service, lacks `action`
        (`destroy --type cloudwatch:alarm` is refused, not silently empty).
        """
        for service in services:
            if service not in self.services:
                raise UnknownSelectionError(
                    f"unknown service {service!r} (known: {', '.join(self.services)})"
                )
        for key in types:
            self.get(key)
        chosen = [
            spec.key
            for spec in self._specs.values()
            if (not services and not types) or spec.service in services or spec.key in types
        ]
        if action is not None:
            self._check_action(services, types, Action(action))
            chosen = [key for key in chosen if action in self._specs[key].actions]
        return tuple(sorted(chosen))

    def _check_action(self, services: Sequence[str], types: Sequence[str], action: Action) -> None:
        for key in types:
            spec = self._specs[key]
            if action not in spec.actions:
                raise UnsupportedActionError(
                    f"{key} cannot be {_DONE[action]}: it supports only {_actions(spec)}"
                )
        for service in services:
            specs = [spec for spec in self._specs.values() if spec.service == service]
            if not any(action in spec.actions for spec in specs):
                supported = "; ".join(f"{spec.key}: {_actions(spec)}" for spec in specs)
                raise UnsupportedActionError(
                    f"service {service!r} has no type that can be {_DONE[action]} ({supported})"
                )


_DONE = {Action.DELETE: "deleted", Action.STOP: "stopped", Action.START: "started"}


def _actions(spec: ResourceTypeSpec) -> str:
    return ", ".join(sorted(a.value for a in spec.actions))
