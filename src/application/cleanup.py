from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from costzero.application.deletion import DeleteTaskWork
from costzero.application.discovery import plan_and_discover
from costzero.application.monitoring import BatchMonitoringService, EventKind
from costzero.application.orchestrator import ProcessingOrchestrator
from costzero.application.ports import Clock, CloudAccess, ResourceHandler, RunRepository, TaskExecutor
from costzero.application.recorder import RunRecorder
from costzero.domain.planning import Pipeline
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Action, Resource
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

    @property
    def deleted(self) -> int:
        return self.outcomes.get("done", 0) + self.outcomes.get("gone", 0)

    @property
    def ok(self) -> bool:
        bad = {TaskState.FAILED.value, TaskState.BLOCKED.value}
        return not any(state in bad for state in self.task_states.values())


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
    ) -> None:
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
        )
        kept: list[Kept] = []
        for key, resources in seen.found.items():
            chosen, keep = request.policy.split(resources, self._registry.get(key.type_key))
            seen.pipeline.resources[key] = chosen
            kept.extend(keep)
        return DestroyPlan(
            seen.account, seen.regions, seen.pipeline, kept, seen.failures, request.policy, request.aliases
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
            },
        )
        recorder = RunRecorder(self._runs)
        unsubscribe = self._monitor.subscribe(recorder)
        try:
            self._monitor.emit(EventKind.RUN_STARTED, run_id, message="dry run" if dry_run else "destroy")
            for kept in destroy_plan.kept:
                self._monitor.resource_event(run_id, kept.resource, "delete", "kept", kept.reason)
            if dry_run:
                for stage in pipeline.stages:
                    for key in stage.tasks:
                        for resource in pipeline.resources.get(key, []):
                            self._monitor.resource_event(
                                run_id, resource, "delete", "would-delete", f"stage {stage.index}"
                            )
            else:
                self._run(pipeline, destroy_plan.failures, run_id)
            result = self._result(run_id, dry_run, destroy_plan)
            self._monitor.emit(EventKind.RUN_FINISHED, run_id, state="ok" if result.ok else "failed")
        finally:
            unsubscribe()
        status = "dry-run" if dry_run else ("succeeded" if result.ok else "failed")
        self._runs.finish_run(
            run_id,
            status,
            self._clock.now(),
            {
                "outcomes": result.outcomes,
                "tasks": dict(Counter(result.task_states.values())),
                "planned": result.planned,
                "kept": result.kept,
            },
        )
        return result

    def _run(self, pipeline: Pipeline, failures: dict[TaskKey, str], run_id: str) -> None:
        for key, task in pipeline.tasks.items():
            if key in failures:
                task.move(TaskState.RUNNING)
                self._monitor.task_moved(run_id, task, TaskState.FAILED, failures[key])
            elif not pipeline.resources.get(key):
                self._monitor.task_moved(run_id, task, TaskState.SKIPPED, "nothing to delete")
        work = DeleteTaskWork(
            self._handlers,
            {str(k): list(v) for k, v in pipeline.resources.items()},
            self._monitor,
            run_id,
        )
        self._orchestrator.run(pipeline, work, run_id)

    def _result(self, run_id: str, dry_run: bool, destroy_plan: DestroyPlan) -> CleanupResult:
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
        )

    def _monitor_counts(self, run_id: str) -> dict[str, int]:
        return dict(self._monitor.run_outcomes(run_id))
