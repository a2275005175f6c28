from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from costzero.application.costing import CostEstimator, acted_costs
from costzero.application.discovery import plan_and_discover
from costzero.application.monitoring import BatchMonitoringService
from costzero.application.park_decisions import decide
from costzero.application.park_item import ParkItem
from costzero.application.park_limits import check_change_limits
from costzero.application.park_plan import ParkPlan, ParkRequest, ParkResult
from costzero.application.park_selection import in_group, unlisted_snapshots
from costzero.application.park_status import status_rows
from costzero.application.park_work import work_for
from costzero.application.ports import (
    Checkpoints,
    Clock,
    CloudAccess,
    ParkHandler,
    SnapshotRepository,
    StateBackup,
    TaskExecutor,
)
from costzero.application.run_lifecycle import Report, RunJob, RunLifecycle, RunResult, RunWork
from costzero.application.state_file import export_state
from costzero.domain.errors import UnknownSelectionError
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.parking import Decision, ParkStep
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Action, Resource
from costzero.domain.safety import Kept
from costzero.domain.tasks import TaskKey

__all__ = ["ParkPlan", "ParkRequest", "ParkResult", "StopStartUseCase"]


class StopStartUseCase:
    """Park (stop) and restore (start) resources, exactly and crash-safely.

    1. select the parkable types, validate regions, check the account;
    2. plan the DAG (start reads `requires` backwards); 3. discover concurrently;
    4. filter (keep tags, group tags; fail closed); 5. decide per resource from its open snapshot and
    its live settings (apply / done / wait / drifted / unmanaged / missing);
    then `execute`: dry run reports before -> after; a real run commits each step before its call.
    """

    def __init__(
        self,
        registry: ResourceRegistry,
        handlers: Mapping[str, ParkHandler],  # every type's; the parkable ones are used
        cloud: CloudAccess,
        executor: TaskExecutor,
        monitor: BatchMonitoringService,
        lifecycle: RunLifecycle,
        snapshots: SnapshotRepository,
        checkpoints: Checkpoints,
        clock: Clock,
        backup: StateBackup | None = None,  # where the JSON mirror goes after a real run, if anywhere
        estimator: CostEstimator | None = None,
    ) -> None:
        self._estimator = estimator
        self._registry = registry
        self._handlers = {k: h for k, h in handlers.items() if Action.STOP in h.spec.actions}
        self._cloud = cloud
        self._executor = executor
        self._monitor = monitor
        self._lifecycle = lifecycle
        self._snapshots = snapshots
        self._checkpoints = checkpoints
        self._clock = clock
        self._backup = backup

    def plan(self, request: ParkRequest) -> ParkPlan:
        types = self._registry.select(request.services, request.types, Action.STOP)
        if not types:
            raise UnknownSelectionError("none of the selected types can be stopped and started")
        seen = plan_and_discover(
            self._registry,
            self._handlers,
            self._cloud,
            self._executor,
            types,
            request.regions,
            request.policy,
            reverse=request.action is Action.START,
        )
        pipeline = seen.pipeline
        snapshots = {s.ref.key: s for s in self._snapshots.open_snapshots(seen.account)}  # one read
        kept: list[Kept] = []
        items: dict[TaskKey, list[ParkItem]] = {}
        for key, resources in seen.found.items():
            spec = self._registry.get(key.type_key)
            unlisted = unlisted_snapshots(key, resources, snapshots.values())
            # resources only a snapshot knows go through the same filters, with the tags it saved
            chosen, keep = request.policy.split([*resources, *unlisted.values()], spec)
            kept.extend(keep)
            chosen, outside = in_group(chosen, request.include_tags)
            kept.extend(outside)
            items[key], unparkable = decide(
                request.action, self._handlers[key.type_key], chosen, unlisted, snapshots
            )
            kept.extend(unparkable)
            pipeline.resources[key] = [i.resource for i in items[key]]
        check_change_limits(
            request.action,
            [i for group in items.values() for i in group],
            self._handlers,
            self._snapshots,
            self._clock.now(),
        )
        return ParkPlan(
            request.action,
            seen.account,
            seen.regions,
            pipeline,
            items,
            kept,
            seen.failures,
            request.policy,
            request.aliases,
            request.include_tags,
            None if self._estimator is None else self._estimator.sheet(_found(seen.found)),
        )

    def execute(
        self, park_plan: ParkPlan, *, dry_run: bool = True, typed: str | None = None, assume_yes: bool = False
    ) -> RunResult:
        action = park_plan.action
        if not dry_run:  # the blast radius bounds every real run; only stop needs the typed account
            park_plan.policy.check_blast_radius(len(park_plan.changes))
        if not dry_run and action is Action.STOP:
            alias = park_plan.aliases.get(park_plan.account)
            park_plan.policy.authorize(
                [park_plan.account], typed=typed, assume_yes=assume_yes, aliases=[alias] if alias else []
            )
        reports = [Report(k.resource, OutcomeKind.KEPT, k.reason) for k in park_plan.kept]
        for item in park_plan.reports:
            if item.decision in (Decision.APPLY, Decision.WAIT) and not dry_run:
                continue  # the work reports these
            reports.append(Report(item.resource, _reported(action, item.decision), _message(item)))
        items = {str(k): v for k, v in park_plan.items.items()}
        job = RunJob(
            action=action,
            dry_run=dry_run,
            params={
                "account": park_plan.account,
                "regions": list(park_plan.regions),
                "types": sorted({k.type_key for k in park_plan.pipeline.tasks}),
                "changes": len(park_plan.changes),
                # the rest of the selection, so that `runs resume` never widens it
                "exclude_tags": [str(f) for f in park_plan.policy.exclude_tags],
                "include_tags": {f.key: f.value for f in park_plan.include_tags},
            },
            pipeline=park_plan.pipeline,
            reports=reports,
            costs=acted_costs(park_plan.costs, (i.resource for i in park_plan.changes)),
            work=lambda run_id: RunWork(
                work_for(
                    action,
                    self._handlers,
                    items,
                    self._snapshots,
                    self._checkpoints,
                    self._monitor,
                    self._clock,
                    run_id,
                )
            ),
            failures=park_plan.failures,
            idle={
                key: "nothing to change"
                for key in park_plan.pipeline.tasks
                if not any(_needs_work(action, i) for i in park_plan.items.get(key, []))
            },
            planned=len(park_plan.changes),
            kept=len(park_plan.kept),
        )
        result = self._lifecycle.run(job)
        if not dry_run and self._backup is not None:  # the JSON mirror, off this machine
            self._backup.save(export_state(self._snapshots, self._clock.now()))  # CloudError if it cannot
        return result

    def status(self, request: ParkRequest) -> list[dict[str, Any]]:
        """Per selected resource: running, parked (since when, by which run), running again, drifted
        or gone, with warnings. Read-only: a stop plan, reported."""
        status_plan = self.plan(
            ParkRequest(
                Action.STOP,
                request.regions,
                request.services,
                request.types,
                request.policy,
                request.aliases,
                request.include_tags,
            )
        )
        return status_rows(status_plan.reports, self._clock.now(), status_plan.costs)


def _found(found: Mapping[TaskKey, list[Resource]]) -> Iterator[Resource]:
    return (r for resources in found.values() for r in resources)


def _reported(action: Action, decision: Decision) -> OutcomeKind:
    """What a plan's decision is reported as (changes only in a dry run: a real run's work reports them)."""
    if decision in (Decision.APPLY, Decision.WAIT):
        return OutcomeKind.would(action)
    if decision is Decision.DONE:
        return OutcomeKind.already(action)
    return OutcomeKind(decision.value)  # drifted, unmanaged, missing: the same word


def _message(item: ParkItem) -> str:
    if item.decision is not Decision.APPLY:
        return item.reason
    return item.change


def _needs_work(action: Action, item: ParkItem) -> bool:
    """Whether the item needs a call, or at least its snapshot's step brought in line."""
    if item.decision in (Decision.APPLY, Decision.WAIT):
        return True
    if item.decision is Decision.DONE and item.snapshot is not None:
        return action is Action.START or item.snapshot.step is not ParkStep.VERIFIED
    return False
