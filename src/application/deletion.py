from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import StepKind, TaskStep
from costzero.application.ports import ResourceHandler
from costzero.domain.errors import CloudError, TemporaryCloudError, ThrottledError
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Ref, Resource
from costzero.domain.tasks import Task, TaskKey, TaskState


@dataclass
class DeleteProgress:
    """Where the resources of one task stand; survives across re-queued attempts."""

    pending: dict[str, Resource]
    awaiting: dict[str, Resource] = field(default_factory=dict)
    gone: dict[str, Resource] = field(default_factory=dict)
    left: dict[str, tuple[Resource, ResourceOutcome]] = field(default_factory=dict)
    last_wait: str = ""
    errors_in_a_row: int = 0


MAX_ERRORS_IN_A_ROW = 3
# left in place by a rule, reported, not a failure of the task: its dependents may still go
_LEFT_BY_RULE = frozenset({OutcomeKind.PROTECTED, OutcomeKind.BLOCKED})


class DeleteTaskWork:
    """The work of one destroy task, called by the orchestrator once per attempt.

    Each attempt first confirms what AWS is still deleting, then issues deletes, in one batch, for
    the pending resources whose links are all gone (a volume once the instance it is attached to is
    terminated); the others wait, and the step names the tasks they wait on so the orchestrator
    wakes this one when those make progress. A resource linked to one left behind is blocked
    without a call. The task is DONE when every resource is confirmed gone or left by a rule
    (protected, or blocked by something the run does not delete; reported, and the run is not
    ok), RETRY while any is pending or awaiting confirmation, FAILED when something ended badly
    (denied, failed) and nothing is left to wait for.

    Attempts of different tasks run on worker threads at once: what they share (`_gone`,
    `_left_behind`, `_deleting`) is only ever added to or removed from by single operations.
    """

    def __init__(
        self,
        handlers: Mapping[str, ResourceHandler],
        resources: Mapping[TaskKey, Sequence[Resource]],
        monitor: BatchMonitoringService,
        run_id: str,
        followers: Mapping[Ref, Sequence[Resource]] | None = None,
    ) -> None:
        self._handlers = handlers
        # what goes with a resource (a CloudFormation stack's own resources): reported gone with it
        self._followers = followers or {}
        self._monitor = monitor
        self._run_id = run_id
        # what this run deletes: a "not yet" held by anything else will never clear. Shared by the
        # worker threads; single set operations are atomic, and an id only ever leaves it.
        self._deleting = {r.id for items in resources.values() for r in items}  # AWS's messages name IDs
        self._task_of = {r.ref: key for key, items in resources.items() for r in items}
        self._gone: set[Ref] = set()
        self._left_behind: dict[Ref, str] = {}
        self.progress: dict[TaskKey, DeleteProgress] = {
            key: DeleteProgress({r.id: r for r in items}) for key, items in resources.items()
        }

    def __call__(self, task: Task) -> TaskStep:
        key = str(task.key)
        state = self.progress.setdefault(task.key, DeleteProgress({}))
        handler = self._handlers[task.key.type_key]
        settled = len(state.gone) + len(state.left)
        waits_on: set[TaskKey] = set()
        throttled = False
        try:
            if state.awaiting:
                outcomes = handler.confirm_gone(task.key.location, list(state.awaiting.values()))
                throttled |= self._apply(key, state, state.awaiting, outcomes, "confirm")
            self._block_linked(key, state)
            free = self._free(task.key, state, waits_on)
            if free:
                outcomes = handler.delete(task.key.location, free)
                throttled |= self._apply(key, state, state.pending, outcomes, "delete", {r.id for r in free})
            state.errors_in_a_row = 0
        except TemporaryCloudError as error:  # AWS said "not yet" to a whole call
            return self._call_failed(state, error)
        except CloudError as error:  # AWS said no for good (denied, invalid): no retry
            return TaskStep(StepKind.FAILED, f"{type(error).__name__}: {error}")
        # anything else is a bug: it leaves the work and fails the task at once, named
        if state.pending or state.awaiting:
            waiting = len(state.pending) + len(state.awaiting)
            return TaskStep(
                StepKind.RETRY,
                f"{waiting} not gone yet: {state.last_wait}".rstrip(": "),
                transitions=bool(state.awaiting),
                expected_seconds=handler.spec.transition_seconds,
                throttled=throttled,
                waits_on=frozenset(waits_on),
                progressed=len(state.gone) + len(state.left) > settled,
            )
        kinds = sorted({o.kind.value for _, o in state.left.values()})
        if any(o.kind not in _LEFT_BY_RULE for _, o in state.left.values()):
            return TaskStep(StepKind.FAILED, f"{len(state.left)} left ({', '.join(kinds)})")
        if state.left:
            return TaskStep(
                StepKind.DONE, f"{len(state.gone)} deleted, {len(state.left)} left ({', '.join(kinds)})"
            )
        return TaskStep(StepKind.DONE, f"{len(state.gone)} deleted")

    def task_settled(self, key: TaskKey, state: TaskState) -> None:
        """The orchestrator's word that a task ended failed or blocked: what it has not deleted
        stays, so what links to it is blocked instead of waiting for it (no event: not tried)."""
        progress = self.progress.get(key)
        if progress is None:
            return
        for source in (progress.pending, progress.awaiting):
            for resource in list(source.values()):
                left = ResourceOutcome(resource.id, OutcomeKind.FAILED, f"its task {state.value}")
                self._leave(str(key), progress, source, resource, left, emit=False)

    @staticmethod
    def _call_failed(state: DeleteProgress, error: TemporaryCloudError) -> TaskStep:
        """A whole call failed (after the SDK's own retries): try again later, give up at 3 in a row."""
        state.errors_in_a_row += 1
        reason = f"{type(error).__name__}: {error}"
        if state.errors_in_a_row >= MAX_ERRORS_IN_A_ROW:
            return TaskStep(StepKind.FAILED, f"{state.errors_in_a_row} failed calls in a row, last: {reason}")
        state.last_wait = reason
        return TaskStep(StepKind.RETRY, reason, throttled=isinstance(error, ThrottledError))

    def _free(self, key: TaskKey, state: DeleteProgress, waits_on: set[TaskKey]) -> list[Resource]:
        """The pending resources whose links (to other tasks of the run) are all gone; the tasks
        holding the others are added to `waits_on`."""
        free = []
        for resource in state.pending.values():
            holders = {
                self._task_of[ref]
                for ref in (resource.ref_of(link) for link in resource.links)
                if ref in self._task_of and self._task_of[ref] != key and ref not in self._gone
            }
            if holders:
                waits_on |= holders
                state.last_wait = f"waiting for what {resource.id} links to"
            else:
                free.append(resource)
        return free

    def _block_linked(self, key: str, state: DeleteProgress) -> None:
        """Settle, without a call, the pending resources linked to one this run left behind."""
        for resource in list(state.pending.values()):
            for link in resource.links:
                why = self._left_behind.get(resource.ref_of(link))
                if why is not None:
                    blocked = ResourceOutcome(
                        resource.id, OutcomeKind.BLOCKED, f"{link.describe()}, which was left: {why}"
                    )
                    self._leave(key, state, state.pending, resource, blocked)
                    break

    def _leave(
        self,
        key: str,
        state: DeleteProgress,
        source: dict[str, Resource],
        resource: Resource,
        outcome: ResourceOutcome,
        emit: bool = True,
    ) -> None:
        del source[resource.id]
        state.left[resource.id] = (resource, outcome)
        self._deleting.discard(resource.id)
        self._left_behind[resource.ref] = f"{outcome.kind.value}: {outcome.message}"
        if emit:
            self._monitor.resource_event(self._run_id, resource, "delete", outcome.kind, outcome.message, key)

    def _went_with(self, owner: Resource) -> None:
        """Report what went with `owner` (it deleted them itself), each under its own type's task."""
        for follower in self._followers.get(owner.ref, ()):
            message = f"deleted with {owner.type_key} {owner.name or owner.id}"
            self._monitor.resource_event(self._run_id, follower, "delete", OutcomeKind.GONE, message)

    def _held_from_outside(self, outcome: ResourceOutcome) -> bool:
        """Whether a named blocker is something the run is not deleting: waiting cannot help."""
        return any(b not in self._deleting for b in outcome.blockers)

    def _apply(
        self,
        key: str,
        state: DeleteProgress,
        source: dict[str, Resource],
        outcomes: list[ResourceOutcome],
        phase: str,
        sent: set[str] | None = None,
    ) -> bool:
        """Record the outcomes of one call; returns whether AWS throttled any of them."""
        answered = set()
        throttled = False
        for outcome in outcomes:
            resource = source.get(outcome.resource_id)
            if resource is None:
                continue
            answered.add(outcome.resource_id)
            kind = outcome.kind
            if kind.is_success:
                del source[resource.id]
                state.gone[resource.id] = resource
                self._gone.add(resource.ref)
                self._went_with(resource)
            elif kind is OutcomeKind.PENDING:
                if phase == "delete":
                    del source[resource.id]
                    state.awaiting[resource.id] = resource
                else:
                    continue  # still going away: no event for every poll
            elif kind is OutcomeKind.NOT_YET and self._held_from_outside(outcome):
                outside = [b for b in outcome.blockers if b not in self._deleting]
                outcome = ResourceOutcome(
                    outcome.resource_id,
                    OutcomeKind.BLOCKED,
                    f"held by {', '.join(outside)}, which this run does not delete ({outcome.message})",
                    outcome.blockers,
                )
                self._leave(key, state, source, resource, outcome, emit=False)
            elif kind.is_retryable:
                state.last_wait = outcome.message or kind.value
                throttled = throttled or kind is OutcomeKind.THROTTLED
            else:
                self._leave(key, state, source, resource, outcome, emit=False)
            self._monitor.resource_event(self._run_id, resource, "delete", outcome.kind, outcome.message, key)
        for resource_id in list(source):
            if resource_id not in answered and phase == "delete" and (sent is None or resource_id in sent):
                missing = ResourceOutcome(resource_id, OutcomeKind.FAILED, "handler gave no outcome")
                self._leave(key, state, source, source[resource_id], missing)
        return throttled
