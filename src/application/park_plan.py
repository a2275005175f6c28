"""What a stop or start is asked to do (ParkRequest), what it found and decided (ParkPlan), and
what it came to (ParkResult)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from costzero.application.park_item import ParkItem
from costzero.application.run_lifecycle import RunResult
from costzero.domain.costing import CostSheet
from costzero.domain.parking import Decision
from costzero.domain.planning import Pipeline
from costzero.domain.resources import Action
from costzero.domain.safety import Kept, SafetyPolicy, TagFilter
from costzero.domain.tasks import TaskKey


@dataclass(frozen=True)
class ParkRequest:
    action: Action
    regions: tuple[str, ...]
    services: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    policy: SafetyPolicy = field(default_factory=SafetyPolicy)
    aliases: Mapping[str, str] = field(default_factory=dict)
    include_tags: tuple[TagFilter, ...] = ()  # a group: every tag must match


@dataclass
class ParkPlan:
    action: Action
    account: str
    regions: tuple[str, ...]
    pipeline: Pipeline
    items: dict[TaskKey, list[ParkItem]]
    kept: list[Kept]
    failures: dict[TaskKey, str]
    policy: SafetyPolicy
    aliases: Mapping[str, str]
    include_tags: tuple[TagFilter, ...] = ()
    costs: CostSheet | None = None  # every resource found, priced as it is now (None: no estimator)

    @property
    def changes(self) -> list[ParkItem]:
        return [
            i for group in self.items.values() for i in group if i.decision in (Decision.APPLY, Decision.WAIT)
        ]

    @property
    def reports(self) -> list[ParkItem]:
        return [i for group in self.items.values() for i in group]


ParkResult = RunResult  # what a stop or start returns
