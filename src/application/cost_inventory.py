"""`costzero cost`: what runs now in the selected accounts, regions and types, and what it costs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from costzero.application.cleanup import DestroyRequest
from costzero.application.costing import CostEstimator
from costzero.application.discovery import plan_and_discover
from costzero.application.ports import CloudAccess, Discoverer, TaskExecutor
from costzero.domain.costing import CostSheet
from costzero.domain.registry import ResourceRegistry
from costzero.domain.tasks import TaskKey


@dataclass(frozen=True)
class Inventory:
    account: str
    regions: tuple[str, ...]
    sheet: CostSheet
    failures: dict[TaskKey, str]  # listings that failed: their cost is missing from the sheet


class CostInventory:
    """Discovers every selected type (delete-only and park-only types alike) and prices what it
    finds. Read-only; keep rules do not apply (a kept resource costs money too)."""

    def __init__(
        self,
        registry: ResourceRegistry,
        handlers: Mapping[str, Discoverer],
        cloud: CloudAccess,
        executor: TaskExecutor,
        estimator: CostEstimator,
    ) -> None:
        self._registry = registry
        self._handlers = handlers
        self._cloud = cloud
        self._executor = executor
        self._estimator = estimator

    def inventory(self, request: DestroyRequest) -> Inventory:
        types = self._registry.select(request.services, request.types)
        self._estimator.book()  # a price file that cannot be read is refused before any listing
        seen = plan_and_discover(
            self._registry,
            self._handlers,
            self._cloud,
            self._executor,
            types,
            request.regions,
            request.policy,
        )
        resources = [r for found in seen.found.values() for r in found]
        return Inventory(seen.account, seen.regions, self._estimator.sheet(resources), seen.failures)
