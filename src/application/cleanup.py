from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from costzero.application.deletion import DeleteTaskWork
from costzero.application.discovery import plan_and_discover
from costzero.application.interruption import StopSignal
from costzero.application.monitoring import BatchMonitoringService, EventKind
from costzero.application.orchestrator import ProcessingOrchestrator
from costzero.application.ports import Clock, CloudAccess, ResourceHandler, RunRepository, TaskExecutor
from costzero.application.recorder import RunRecorder
from costzero.domain.links import hold_back
from costzero.domain.planning import Pipeline
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Action, Resource
from costzero.domain.runs import RunStatus
from costzero.domain.safety import Kept, SafetyPolicy
from costzero.domain.tasks import TaskKey, TaskState


@dataclass(frozen=True)
class DestroyRequest:
    regions: tuple[str, ...]
    services: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    policy: SafetyPolicy = field(default_factory=SafetyPolicy)
    aliases: Mapping[str, str] = field(default_factory=dict)


@dataclass
class DestroyPlan:
    """What a destroy would do: the task DAG with the resources chosen per task, and what is kept."""

    account: str
    regions: tuple[str, ...]
    pipeline: Pipeline
    kept: list[Kept]
    failures: dict[TaskKey, str]
    policy: SafetyPolicy
    aliases: Mapping[str, str]
    blocked: list[Kept] = field(default_factory=list)  # held back by a kept or unselected resource

    @property
    def targets(self) -> list[Resource]:
        return self.pipeline.all_resources()


@dataclass(frozen=True)
class CleanupResult:
    run_id: str
    dry_run: bool
    task_states: dict[str, str]
    task_reasons: dict[str, str]
    outcomes: dict[str, int]
    planned: int
    kept: int
    blocked: int = 0  # resources a kept or unselected resource holds back (never tried)
    interrupted: bool = False  # stopped early (Ctrl-C, SIGTERM): finish with `runs resume`

    @property
    def deleted(self) -> int:
        return self.outcomes.get("done", 0) + self.outcomes.get("gone", 0)

    @property
    def left(self) -> int:
        """Resources a real run meant to delete and could not (0 for a dry run)."""
        if self.dry_run:
            return 0
        return sum(self.outcomes.get(k, 0) for k in ("protected", "failed", "denied", "blocked"))

    @property
    def status(self) -> RunStatus:
        return RunStatus.of(dry_run=self.dry_run, interrupted=self.interrupted, ok=self.ok)

    @property
    def ok(self) -> bool:
        bad = {TaskState.FAILED.value, TaskState.BLOCKED.value}
        return (
            not any(state in bad for state in self.task_states.values())
            and not self.left
            and not self.interrupted
        )


class BatchCleanupUseCase:
    """Destroy: discover -> filter -> plan -> dry run ("would delete") or execute -> result.

    1. select the types and validate the regions; 2. refuse blocked or unlisted accounts;
    3. plan the DAG; 4. discover every task concurrently; 5. filter by the keep rules (fail closed);
    then, in `execute`: 6. dry run: report only; 7. real run: blast radius and confirmation checked
    before the first mutating call, then the orchestrator deletes in dependency order.
    """

    def __init__(
        self,
        registry: ResourceRegistry,
        handlers: Mapping[str, ResourceHandler],
        cloud: CloudAccess,
        executor: TaskExecutor,
        orchestrator: ProcessingOrchestrator,
        monitor: BatchMonitoringService,
        runs: RunRepository,
        clock: Clock,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex[:12],
        stop: StopSignal | None = None,
    ) -> None:
        self._stop = stop or StopSignal()
        self._registry = registry
        self._handlers = dict(handlers)
        self._cloud = cloud
        self._executor = executor
        self._orchestrator = orchestrator
        self._monitor = monitor
        self._runs = runs
        self._clock = clock
        self._new_id = new_id

    def plan(self, request: DestroyRequest) -> DestroyPlan:
        types = self._registry.select(request.services, request.types, Action.DELETE)
        seen = plan_and_discover(
            self._registry,
            self._handlers,
            self._cloud,
            self._executor,
            types,
            request.regions,
            request.policy,
            by_links=True,  # resources wait for what they link to, not for whole types
        )
        kept: list[Kept] = []
        chosen: list[Resource] = []
        task_of: dict[tuple[str, str], TaskKey] = {}
        for key, resources in seen.found.items():
            go, keep = request.policy.split(resources, self._registry.get(key.type_key))
            chosen.extend(go)
            kept.extend(keep)
            task_of.update((r.ref, key) for r in go)
        # what a kept, failed-to-list or unselected resource holds back is not tried at all
        not_going = {k.resource.ref: k.reason for k in kept}
        unlisted = {key.type_key for key in seen.failures}
        free, blocked = hold_back(chosen, not_going, types, unlisted)
        by_task: dict[TaskKey, list[Resource]] = {}
        for resource in free:
            by_task.setdefault(task_of[resource.ref], []).append(resource)
        for key in seen.found:
            seen.pipeline.resources[key] = by_task.get(key, [])
        return DestroyPlan(
            seen.account,
            seen.regions,
            seen.pipeline,
            kept,
            seen.failures,
            request.policy,
            request.aliases,
            blocked,
        )

    def execute(
        self,
        destroy_plan: DestroyPlan,
        *,
        dry_run: bool = True,
        typed: str | None = None,
        assume_yes: bool = False,
    ) -> CleanupResult:
        pipeline = destroy_plan.pipeline
        targets = destroy_plan.targets
        if not dry_run:
            destroy_plan.policy.check_blast_radius(len(targets))
            alias = destroy_plan.aliases.get(destroy_plan.account)
            destroy_plan.policy.authorize(
                [destroy_plan.account],
                typed=typed,
                assume_yes=assume_yes,
                aliases=[alias] if alias else [],
            )
        run_id = self._new_id()
        self._runs.add_run(
            run_id,
            "destroy",
            dry_run,
            self._clock.now(),
            {
                "account": destroy_plan.account,
                "regions": list(destroy_plan.regions),
                "types": sorted({k.type_key for k in pipeline.tasks}),
                "targets": len(targets),
                # the rest of the selection, so that `runs resume` never widens it
                "exclude_tags": [str(f) for f in destroy_plan.policy.exclude_tags],
            },
        )
        recorder = RunRecorder(self._runs)
        unsubscribe = self._monitor.subscribe(recorder)
        finished = True
        self._stop.clear()
        try:
            self._monitor.emit(EventKind.RUN_STARTED, run_id, message="dry run" if dry_run else "destroy")
            for kept in destroy_plan.kept:
                self._monitor.resource_event(run_id, kept.resource, "delete", "kept", kept.reason)
            for held in destroy_plan.blocked:
                self._monitor.resource_event(run_id, held.resource, "delete", "blocked", held.reason)
            if dry_run:
                for stage in pipeline.stages:
                    for key in stage.tasks:
                        for resource in pipeline.resources.get(key, []):
                            self._monitor.resource_event(
                                run_id, resource, "delete", "would-delete", f"stage {stage.index}"
                            )
            else:
                finished = self._run(pipeline, destroy_plan.failures, run_id)
            result = self._result(run_id, dry_run, destroy_plan, interrupted=not finished)
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
            {
                "outcomes": result.outcomes,
                "tasks": dict(Counter(result.task_states.values())),
                "planned": result.planned,
                "kept": result.kept,
            },
        )
        return result

    def _run(self, pipeline: Pipeline, failures: dict[TaskKey, str], run_id: str) -> bool:
        for key, task in pipeline.tasks.items():
            if key in failures:
                task.move(TaskState.RUNNING)
                self._monitor.task_moved(run_id, task, TaskState.FAILED, failures[key])
            elif not pipeline.resources.get(key):
                self._monitor.task_moved(run_id, task, TaskState.SKIPPED, "nothing to delete")
        work = DeleteTaskWork(self._handlers, pipeline.resources, self._monitor, run_id)
        return self._orchestrator.run(pipeline, work, run_id, self._stop.requested, work.task_settled)

    def _result(
        self, run_id: str, dry_run: bool, destroy_plan: DestroyPlan, *, interrupted: bool
    ) -> CleanupResult:
        tasks = destroy_plan.pipeline.tasks
        counts = self._monitor_counts(run_id)
        return CleanupResult(
            run_id=run_id,
            dry_run=dry_run,
            task_states={str(k): t.state.value for k, t in tasks.items()},
            task_reasons={str(k): t.reason for k, t in tasks.items() if t.reason},
            outcomes=counts,
            planned=len(destroy_plan.targets),
            kept=len(destroy_plan.kept),
            blocked=len(destroy_plan.blocked),
            interrupted=interrupted,
        )

    def _monitor_counts(self, run_id: str) -> dict[str, int]:
        return dict(self._monitor.run_outcomes(run_id))
