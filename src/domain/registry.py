from __future__ import annotations

from collections.abc import Iterable, Sequence
from graphlib import CycleError, TopologicalSorter

from costzero.domain.errors import RegistryError, UnknownSelectionError
from costzero.domain.resources import ResourceTypeSpec


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
        """Type keys chosen by `--service` and `--type` (both empty: every type).

        Raises UnknownSelectionError naming the first unknown service or type.
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
            chosen = [key for key in chosen if action in self._specs[key].actions]
        return tuple(sorted(chosen))
