from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from costzero.application.discovery import plan_and_discover
from costzero.application.monitoring import BatchMonitoringService
from costzero.application.park_selection import in_group, unlisted_snapshots
from costzero.application.park_status import status_rows
from costzero.application.park_work import ParkItem, ParkTaskWork
from costzero.application.ports import (
    Checkpoints,
    Clock,
    CloudAccess,
    ParkHandler,
    SnapshotRepository,
    StateBackup,
    TaskExecutor,
)
from costzero.application.run_lifecycle import Report, RunJob, RunLifecycle, RunResult
from costzero.application.state_file import export_state
from costzero.domain.change_limits import WINDOW, PastChange, check_window
from costzero.domain.errors import UnknownSelectionError
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.parking import Decision, ParkRef, ParkStep, Snapshot, decide_start, decide_stop
from costzero.domain.planning import Pipeline
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Action, Location, Resource
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

    @property
    def changes(self) -> list[ParkItem]:
        return [
            i for group in self.items.values() for i in group if i.decision in (Decision.APPLY, Decision.WAIT)
        ]

    @property
    def reports(self) -> list[ParkItem]:
        return [i for group in self.items.values() for i in group]


ParkResult = RunResult  # what a stop or start returns


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
    ) -> None:
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
            items[key] = self._decide(request.action, key, chosen, kept, unlisted, snapshots)
            pipeline.resources[key] = [i.resource for i in items[key]]
        self._check_change_limits(request.action, items)
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
        )

    def _decide(
        self,
        action: Action,
        key: TaskKey,
        resources: list[Resource],
        kept: list[Kept],
        unlisted: Mapping[str, Resource],
        snapshots: Mapping[str, Snapshot],
    ) -> list[ParkItem]:
        handler = self._handlers[key.type_key]
        # what listings did not show is read by ID, as few calls per location as the API allows
        ghosts: dict[Location, list[Resource]] = {}
        for resource in resources:
            if ParkRef(resource.type_key, resource.account, resource.region, resource.id).key in unlisted:
                ghosts.setdefault(Location(resource.account, resource.region), []).append(resource)
        read = {
            (location.region, resource_id): settings
            for location, group in ghosts.items()
            for resource_id, settings in handler.read_many(location, group).items()
        }
        items = []
        for resource in resources:
            ref = ParkRef(resource.type_key, resource.account, resource.region, resource.id)
            snapshot = snapshots.get(ref.key)
            if ref.key in unlisted and snapshot is not None:
                current = read.get((ref.region, ref.resource_id))
                parked = handler.parked(snapshot.settings)
                if action is Action.START:
                    decision, reason = decide_start(snapshot, current, parked, False)
                elif current is None:
                    decision, reason = Decision.MISSING, "the resource no longer exists; its snapshot is kept"
                else:
                    decision, reason = decide_stop(
                        snapshot,
                        current,
                        parked,
                        handler.looks_parked(current),
                        handler.in_transition(current),
                    )
                items.append(ParkItem(resource, decision, reason, current or {}, parked, snapshot))
                continue
            why_not = handler.unparkable(resource)
            if why_not:
                kept.append(Kept(resource, why_not))
                continue
            settings = dict(resource.attributes.get("settings", {}))
            if action is Action.STOP:
                parked = handler.parked(snapshot.settings if snapshot else settings)
                decision, reason = decide_stop(
                    snapshot,
                    settings,
                    parked,
                    handler.looks_parked(settings),
                    handler.in_transition(settings),
                )
            elif snapshot is None:
                continue  # start touches only what costzero parked
            else:
                parked = handler.parked(snapshot.settings)
                decision, reason = decide_start(snapshot, settings, parked, handler.in_transition(settings))
            items.append(ParkItem(resource, decision, reason, settings, parked, snapshot))
        return items

    def _check_change_limits(self, action: Action, items: dict[TaskKey, list[ParkItem]]) -> None:
        """Refuse, before any call, a plan that would break AWS's per-24-hour change limits."""
        now = self._clock.now()
        for group in items.values():
            for item in group:
                handler = self._handlers[item.resource.type_key]
                limit = handler.change_limit
                if limit is None or item.decision is not Decision.APPLY:
                    continue
                changes = handler.changes
                if action is Action.STOP:
                    needed = changes(item.settings, {**item.settings, **item.parked})
                else:
                    assert item.snapshot is not None
                    needed = changes(item.settings, dict(item.snapshot.settings))
                history = []
                for past in self._snapshots.history(item.ref.key, now - WINDOW):
                    parked_state = {**past.settings, **handler.parked(past.settings)}
                    history.append(PastChange(past.taken_at, changes(past.settings, parked_state)))
                    if past.closed_at is not None:
                        history.append(PastChange(past.closed_at, changes(parked_state, past.settings)))
                check_window(f"{item.resource.type_key} {item.resource.id}", needed, history, limit, now)

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
            work=lambda run_id: ParkTaskWork(
                action,
                self._handlers,
                items,
                self._snapshots,
                self._checkpoints,
                self._monitor,
                self._clock,
                run_id,
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
        return status_rows(status_plan.reports, self._clock.now())


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
    before, after = item.before_after
    return ", ".join(f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in sorted(after))


def _needs_work(action: Action, item: ParkItem) -> bool:
    """Whether the item needs a call, or at least its snapshot's step brought in line."""
    if item.decision in (Decision.APPLY, Decision.WAIT):
        return True
    if item.decision is Decision.DONE and item.snapshot is not None:
        return action is Action.START or item.snapshot.step is not ParkStep.VERIFIED
    return False
