from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from costzero.application.discovery import plan_and_discover
from costzero.application.interruption import StopSignal
from costzero.application.monitoring import BatchMonitoringService, EventKind
from costzero.application.orchestrator import ProcessingOrchestrator
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
    RunRepository,
    SnapshotRepository,
    TaskExecutor,
)
from costzero.application.recorder import RunRecorder
from costzero.domain.errors import UnknownSelectionError
from costzero.domain.parking import Decision, ParkStep
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Action
from costzero.domain.runs import RunStatus
from costzero.domain.safety import Kept
from costzero.domain.tasks import TaskKey, TaskState

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
        orchestrator: ProcessingOrchestrator,
        monitor: BatchMonitoringService,
        runs: RunRepository,
        snapshots: SnapshotRepository,
        checkpoints: Checkpoints,
        clock: Clock,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex[:12],
        stop: StopSignal | None = None,
    ) -> None:
        self._stop = stop or StopSignal()
        self._registry = registry
        self._handlers = {k: h for k, h in handlers.items() if Action.STOP in h.spec.actions}
        self._cloud = cloud
        self._executor = executor
        self._orchestrator = orchestrator
        self._monitor = monitor
        self._runs = runs
        self._snapshots = snapshots
        self._checkpoints = checkpoints
        self._clock = clock
        self._new_id = new_id

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
        )

    def execute(
        self, park_plan: ParkPlan, *, dry_run: bool = True, typed: str | None = None, assume_yes: bool = False
    ) -> ParkResult:
        action = park_plan.action
        if not dry_run:  # the blast radius bounds every real run; only stop needs the typed account
            park_plan.policy.check_blast_radius(len(park_plan.changes))
        if not dry_run and action is Action.STOP:
            alias = park_plan.aliases.get(park_plan.account)
            park_plan.policy.authorize(
                [park_plan.account], typed=typed, assume_yes=assume_yes, aliases=[alias] if alias else []
            )
        run_id = self._new_id()
        self._runs.add_run(
            run_id,
            action.value,
            dry_run,
            self._clock.now(),
            {
                "account": park_plan.account,
                "regions": list(park_plan.regions),
                "types": sorted({k.type_key for k in park_plan.pipeline.tasks}),
                "changes": len(park_plan.changes),
                # the rest of the selection, so that `runs resume` never widens it
                "exclude_tags": [str(f) for f in park_plan.policy.exclude_tags],
                "include_tags": {f.key: f.value for f in park_plan.include_tags},
            },
        )
        unsubscribe = self._monitor.subscribe(RunRecorder(self._runs))
        finished = True
        self._stop.clear()
        try:
            self._monitor.emit(EventKind.RUN_STARTED, run_id, message=action.value)
            for kept in park_plan.kept:
                self._monitor.resource_event(run_id, kept.resource, action.value, "kept", kept.reason)
            for item in park_plan.reports:
                if item.decision in (Decision.APPLY, Decision.WAIT) and not dry_run:
                    continue
                outcome = {
                    Decision.APPLY: f"would-{action.value}",
                    Decision.WAIT: f"would-{action.value}",
                    Decision.DONE: "already-parked" if action is Action.STOP else "already-running",
                }.get(item.decision, item.decision.value)
                message = item.reason
                if item.decision is Decision.APPLY:
                    before, after = item.before_after
                    message = ", ".join(f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in sorted(after))
                self._monitor.resource_event(run_id, item.resource, action.value, outcome, message)
            if not dry_run:
                finished = self._run(park_plan, run_id)
            counts = dict(self._monitor.run_outcomes(run_id))
            tasks = park_plan.pipeline.tasks
            result = ParkResult(
                run_id,
                action.value,
                dry_run,
                {str(k): t.state.value for k, t in tasks.items()},
                {str(k): t.reason for k, t in tasks.items() if t.reason},
                counts,
                interrupted=not finished,
            )
            self._monitor.emit(EventKind.RUN_FINISHED, run_id, state=result.status)
        except KeyboardInterrupt:  # aborted at once (a second Ctrl-C): say so, then let it go on
            self._runs.finish_run(run_id, RunStatus.INTERRUPTED, self._clock.now(), {"aborted": True})
            raise
        finally:
            unsubscribe()
        self._runs.finish_run(
            run_id,
            result.status,
            self._clock.now(),
            {"outcomes": result.outcomes, "tasks": dict(Counter(result.task_states.values()))},
        )
        return result

    def _run(self, park_plan: ParkPlan, run_id: str) -> bool:
        pipeline = park_plan.pipeline
        for key, task in pipeline.tasks.items():
            if key in park_plan.failures:
                task.move(TaskState.RUNNING)
                self._monitor.task_moved(run_id, task, TaskState.FAILED, park_plan.failures[key])
            elif not any(_needs_work(park_plan.action, i) for i in park_plan.items.get(key, [])):
                self._monitor.task_moved(run_id, task, TaskState.SKIPPED, "nothing to change")
        work = work_for(
            park_plan.action,
            self._handlers,
            {str(k): v for k, v in park_plan.items.items()},
            self._snapshots,
            self._checkpoints,
            self._monitor,
            self._clock,
            run_id,
        )
        return self._orchestrator.run(pipeline, work, run_id, self._stop.requested)

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


def _needs_work(action: Action, item: ParkItem) -> bool:
    """Whether the item needs a call, or at least its snapshot's step brought in line."""
    if item.decision in (Decision.APPLY, Decision.WAIT):
        return True
    if item.decision is Decision.DONE and item.snapshot is not None:
        return action is Action.START or item.snapshot.step is not ParkStep.VERIFIED
    return False
