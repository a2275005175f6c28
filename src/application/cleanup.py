from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from costzero.application.costing import CostEstimator, acted_costs
from costzero.application.deletion import DeleteTaskWork
from costzero.application.discovery import Discovered, plan_and_discover
from costzero.application.final_snapshots import FinalSnapshots
from costzero.application.monitoring import BatchMonitoringService
from costzero.application.ports import CloudAccess, ResourceHandler, TaskExecutor
from costzero.application.run_lifecycle import Report, RunJob, RunLifecycle, RunResult, RunWork
from costzero.domain.costing import CostSheet
from costzero.domain.links import hold_back
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.ownership import STACK_TYPE, Ownership, resolve
from costzero.domain.planning import Pipeline
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Action, Ref, Resource
from costzero.domain.safety import Kept, SafetyPolicy, split_by_discovery
from costzero.domain.tasks import TaskKey


@dataclass(frozen=True)
class DestroyRequest:
    regions: tuple[str, ...]
    services: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    policy: SafetyPolicy = field(default_factory=SafetyPolicy)
    aliases: Mapping[str, str] = field(default_factory=dict)
    disable_protection: tuple[str, ...] = ()
    skip_final_snapshot: bool = False  # databases go without the final snapshot they otherwise keep


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
    costs: CostSheet | None = None  # every resource found, priced (None: no estimator)
    disable_protection: tuple[str, ...] = ()  # types whose protection the run may turn off
    with_stack: list[Kept] = field(default_factory=list)  # deleted by their CloudFormation stack
    final_snapshots: FinalSnapshots = field(default_factory=FinalSnapshots)  # of the selected databases
    protected: list[Kept] = field(default_factory=list)  # protection flag on, not to be turned off
    goes_with: dict[Ref, Ref] = field(default_factory=dict)  # a with_stack member -> its stack

    @property
    def targets(self) -> list[Resource]:
        return self.pipeline.all_resources()

    @property
    def reach(self) -> list[Resource]:
        """Everything a real run deletes: its targets and what their stacks delete with them."""
        return [*self.targets, *(k.resource for k in self.with_stack)]


CleanupResult = RunResult  # what a destroy returns (the name the SDK has always used)


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
        monitor: BatchMonitoringService,
        lifecycle: RunLifecycle,
        estimator: CostEstimator | None = None,
    ) -> None:
        self._estimator = estimator
        self._registry = registry
        self._handlers = dict(handlers)
        self._cloud = cloud
        self._executor = executor
        self._monitor = monitor
        self._lifecycle = lifecycle

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
            # the stacks, selected or not: what a stack created is never deleted behind its back
            context=[STACK_TYPE] if STACK_TYPE in self._handlers else [],
        )
        kept: list[Kept] = []
        protected: list[Kept] = []
        held: list[Kept] = []  # what discovery found the run cannot delete
        chosen: list[Resource] = []
        # a resource's task by its full identity (ref): the same name can be used in two regions
        # (a queue, a launch configuration), and each must be deleted where it is
        task_of: dict[Ref, TaskKey] = {}
        for key, resources in seen.found.items():
            go, keep = request.policy.split(resources, self._registry.get(key.type_key))
            found = split_by_discovery(go, request.disable_protection)
            chosen.extend(found.chosen)
            kept.extend((*keep, *found.kept))
            protected.extend(found.protected)
            held.extend(found.held)
            task_of.update((r.ref, key) for r in found.chosen)
        # what a CloudFormation stack created goes with the stack, or stays with it (a kept or
        # protected stack keeps it: its resources are never deleted behind its back)
        why = f"not selected: add {STACK_TYPE} to delete it with its stack"
        stacks = [Kept(stack, why) for found in seen.context.values() for stack in found]
        owned = resolve(chosen, kept + protected + stacks, _stacks_listed(seen))
        chosen = owned.chosen
        kept.extend(owned.kept)
        # what a kept, failed-to-list or unselected resource holds back is not tried at all
        not_going = {k.resource.ref: k.reason for k in kept}
        not_going.update((p.resource.ref, f"protected: {p.reason}") for p in protected)
        not_going.update((h.resource.ref, f"blocked: {h.reason}") for h in held)
        unlisted = {key.type_key for key in seen.failures}
        free, blocked = hold_back(chosen, not_going, types, unlisted, seen.regions)
        blocked = held + blocked
        with_stack = _stacks_going(owned, blocked)
        goes_with = {k.resource.ref: owned.stack_of[k.resource.ref].ref for k in with_stack}
        by_task: dict[TaskKey, list[Resource]] = {}
        for resource in free:
            by_task.setdefault(task_of[resource.ref], []).append(resource)
        for key in seen.found:
            seen.pipeline.resources[key] = by_task.get(key, [])
        costs = None
        if self._estimator is not None:
            costs = self._estimator.sheet(r for found in seen.found.values() for r in found)
        return DestroyPlan(
            seen.account,
            seen.regions,
            seen.pipeline,
            kept,
            seen.failures,
            request.policy,
            request.aliases,
            blocked,
            costs,
            tuple(k for k in request.disable_protection if k in types),
            with_stack,
            FinalSnapshots.of(self._registry, types, request.skip_final_snapshot),
            protected,
            goes_with,
        )

    def execute(
        self,
        destroy_plan: DestroyPlan,
        *,
        dry_run: bool = True,
        typed: str | None = None,
        assume_yes: bool = False,
    ) -> RunResult:
        pipeline = destroy_plan.pipeline
        targets = destroy_plan.targets
        followers: dict[Ref, list[Resource]] = {}
        for member in destroy_plan.with_stack:
            followers.setdefault(destroy_plan.goes_with[member.resource.ref], []).append(member.resource)
        if not dry_run:
            destroy_plan.policy.check_blast_radius(len(destroy_plan.reach))
            alias = destroy_plan.aliases.get(destroy_plan.account)
            destroy_plan.policy.authorize(
                [destroy_plan.account],
                typed=typed,
                assume_yes=assume_yes,
                aliases=[alias] if alias else [],
            )
        reports = [Report(k.resource, OutcomeKind.KEPT, k.reason) for k in destroy_plan.kept]
        reports += [Report(h.resource, OutcomeKind.BLOCKED, h.reason) for h in destroy_plan.blocked]
        reports += [Report(p.resource, OutcomeKind.PROTECTED, p.reason) for p in destroy_plan.protected]
        if dry_run:
            reports += [
                Report(resource, OutcomeKind.WOULD_DELETE, f"stage {stage.index}")
                for stage in pipeline.stages
                for key in stage.tasks
                for resource in pipeline.resources.get(key, [])
            ]
            reports += [
                Report(k.resource, OutcomeKind.WOULD_DELETE, k.reason) for k in destroy_plan.with_stack
            ]
        job = RunJob(
            action=Action.DELETE,
            dry_run=dry_run,
            params={
                "account": destroy_plan.account,
                "regions": list(destroy_plan.regions),
                "types": sorted({k.type_key for k in pipeline.tasks}),
                "targets": len(targets),
                # the rest of the selection, so that `runs resume` never widens it
                "exclude_tags": [str(f) for f in destroy_plan.policy.exclude_tags],
            },
            pipeline=pipeline,
            reports=reports,
            work=lambda run_id: _deletion(
                DeleteTaskWork(self._handlers, pipeline.resources, self._monitor, run_id, followers)
            ),
            failures=destroy_plan.failures,
            idle={k: "nothing to delete" for k in pipeline.tasks if not pipeline.resources.get(k)},
            planned=len(destroy_plan.reach),  # what the stacks delete is reported gone with them
            kept=len(destroy_plan.kept),
            blocked=len(destroy_plan.blocked),
            costs=acted_costs(destroy_plan.costs, destroy_plan.reach),  # what stacks delete saves too
        )
        return self._lifecycle.run(job)


def _stacks_listed(seen: Discovered) -> dict[str, frozenset[str]]:
    """The regions, per account, where the stacks were listed (selected or as context)."""
    listed: dict[str, frozenset[str]] = {}
    for key in (*seen.found, *seen.context):
        if key.type_key == STACK_TYPE:
            listed[key.account] = listed.get(key.account, frozenset()) | {key.region}
    return listed


def _stacks_going(owned: Ownership, blocked: list[Kept]) -> list[Kept]:
    """The stacks' members that go with them; those of a stack held back are added to `blocked`."""
    held = {b.resource.ref: b.reason for b in blocked}
    going = []
    for member in owned.with_stack:
        stack = owned.stack_of[member.resource.ref]
        if stack.ref in held:
            why = f"created by stack {stack.name or stack.id}, which cannot go ({held[stack.ref]})"
            blocked.append(Kept(member.resource, why))
        else:
            going.append(member)
    return going


def _deletion(work: DeleteTaskWork) -> RunWork:
    """The delete work, told when a task fails or is blocked (what links to its resources is then
    blocked instead of waiting)."""
    return RunWork(work, on_settled=work.task_settled)
