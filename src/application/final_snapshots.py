"""What a destroy does about the final snapshots of the selected databases, for the plan to say."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from costzero.domain.registry import ResourceRegistry


@dataclass(frozen=True)
class FinalSnapshots:
    """`types`: the selected types deleted with a final snapshot of their data (their spec's
    `final_snapshot`); `skipped`: the user asked to delete them without one (skip_final_snapshot)."""

    types: tuple[str, ...] = ()
    skipped: bool = False

    @classmethod
    def of(cls, registry: ResourceRegistry, types: Iterable[str], skipped: bool) -> FinalSnapshots:
        return cls(tuple(k for k in types if registry.get(k).final_snapshot), skipped)
