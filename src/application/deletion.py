from __future__ import annotations

from dataclasses import dataclass, field

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import StepKind, TaskStep
from costzero.application.ports import ResourceHandler
from costzero.domain.errors import CloudError, TemporaryCloudError
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Resource
from costzero.domain.tasks import Task


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

    Each attempt first confirms what AWS is still deleting, then (re)issues deletes for what is
    pending. The task is DONE when every resource is confirmed gone or left by a rule (protected,
    or blocked by something the run does not delete; reported, and the run is not ok), RETRY while
    any is pending or awaiting confirmation, FAILED when something ended badly (denied, failed)
    and nothing is left to wait for. A resource linked to one left behind is blocked without a call.
    """

    def __init__(
        self,
        handlers: dict[str, ResourceHandler],
        resources: dict[str, list[Resource]],
        monitor: BatchMonitoringService,
        run_id: str,
    ) -> None:
        self._handlers = handlers
        self._monitor = monitor
        self._run_id = run_id
        # what this run deletes: a "not yet" held by anything else will never clear. Shared by the
        # worker threads; single set operations are atomic, and an id only ever leaves it.
        self._deleting = {r.id for items in resources.values() for r in items}
        self._left_behind: dict[tuple[str, str], str] = {}
        self.progress: dict[str, DeleteProgress] = {
            task: DeleteProgress({r.id: r for r in items}) for task, items in resources.items()
        }

    def __call__(self, task: Task) -> TaskStep:
        key = str(task.key)
        state = self.progress.setdefault(key, DeleteProgress({}))
        handler = self._handlers[task.key.type_key]
        try:
            if state.awaiting:
                outcomes = handler.confirm_gone(task.key.location, list(state.awaiting.values()))
                self._apply(key, state, state.awaiting, outcomes, "confirm")
            self._block_linked(key, state)
            if state.pending:
                outcomes = handler.delete(task.key.location, list(state.pending.values()))
                self._apply(key, state, state.pending, outcomes, "delete")
            state.errors_in_a_row = 0
        except TemporaryCloudError as error:  # AWS said "not yet" to a whole call
            return self._call_failed(state, error)
        except CloudError as error:  # AWS said no for good (denied, invalid): no retry
            return TaskStep(StepKind.FAILED, f"{type(error).__name__}: {error}")
        # anything else is a bug: it leaves the work and fails the task at once, named
        if state.pending or state.awaiting:
            waiting = len(state.pending) + len(state.awaiting)
            return TaskStep(StepKind.RETRY, f"{waiting} not gone yet: {state.last_wait}".rstrip(": "))
        kinds = sorted({o.kind.value for _, o in state.left.values()})
        if any(o.kind not in _LEFT_BY_RULE for _, o in state.left.values()):
            return TaskStep(StepKind.FAILED, f"{len(state.left)} left ({', '.join(kinds)})")
        if state.left:
            return TaskStep(
                StepKind.DONE, f"{len(state.gone)} deleted, {len(state.left)} left ({', '.join(kinds)})"
            )
        return TaskStep(StepKind.DONE, f"{len(state.gone)} deleted")

    @staticmethod
    def _call_failed(state: DeleteProgress, error: TemporaryCloudError) -> TaskStep:
        """A whole call failed (after the SDK's own retries): try again later, give up at 3 in a row."""
        state.errors_in_a_row += 1
        reason = f"{type(error).__name__}: {error}"
        if state.errors_in_a_row >= MAX_ERRORS_IN_A_ROW:
            return TaskStep(StepKind.FAILED, f"{state.errors_in_a_row} failed calls in a row, last: {reason}")
        state.last_wait = reason
        return TaskStep(StepKind.RETRY, reason)

    def _block_linked(self, key: str, state: DeleteProgress) -> None:
        """Settle, without a call, the pending resources linked to one this run left behind."""
        for resource in list(state.pending.values()):
            for link in resource.links:
                why = self._left_behind.get((link.type_key, link.id))
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
    ) -> None:
        answered = set()
        for outcome in outcomes:
            resource = source.get(outcome.resource_id)
            if resource is None:
                continue
            answered.add(outcome.resource_id)
            kind = outcome.kind
            if kind.is_success:
                del source[resource.id]
                state.gone[resource.id] = resource
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
            else:
                self._leave(key, state, source, resource, outcome, emit=False)
            self._monitor.resource_event(self._run_id, resource, "delete", outcome.kind, outcome.message, key)
        for resource_id in list(source):
            if resource_id not in answered and phase == "delete":
                missing = ResourceOutcome(resource_id, OutcomeKind.FAILED, "handler gave no outcome")
                self._leave(key, state, source, source[resource_id], missing)
