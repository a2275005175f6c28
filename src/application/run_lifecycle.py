"""What every run does around its work: the run record, the recorder, progress events, what it
keeps and refuses, interruption, finishing the run and its result. Destroy and park plug in their
task work; so will the cost and many-account runs."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from costzero.application.interruption import StopSignal
from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import ProcessingOrchestrator, SettledHook, TaskWork
from costzero.application.ports import Clock, RunRepository
from costzero.application.recorder import RunRecorder
from costzero.domain.costing import ResourceCost
from costzero.domain.events import EventKind
from costzero.domain.outcomes import OutcomeKind, left_behind
from costzero.domain.planning import Pipeline
from costzero.domain.resources import Action, Resource
from costzero.domain.runs import RunStatus
from costzero.domain.tasks import TaskKey, TaskState

_BAD_TASK = frozenset({TaskState.FAILED, TaskState.BLOCKED})


@dataclass(frozen=True)
class RunResult:
    """How a destroy, stop or start run ended, in the one outcome vocabulary (OutcomeKind)."""

    run_id: str
    action: Action
    dry_run: bool
    task_states: dict[str, TaskState]
    task_reasons: dict[str, str]
    outcomes: dict[OutcomeKind, int]
    planned: int = 0  # resources the run set out to change
    kept: int = 0
    blocked: int = 0  # held back by a kept or unselected resource (never tried)
    interrupted: bool = False  # stopped early (Ctrl-C, SIGTERM): finish with `runs resume`

    @property
    def deleted(self) -> int:
        return self.outcomes.get(OutcomeKind.DONE, 0) + self.outcomes.get(OutcomeKind.GONE, 0)

    @property
    def left_outcomes(self) -> dict[OutcomeKind, int]:
        """What a real run meant to do and could not, by outcome (empty for a dry run)."""
        return {} if self.dry_run else left_behind(self.action, self.outcomes)

    @property
    def left(self) -> int:
        return sum(self.left_outcomes.values())

    @property
    def failed_tasks(self) -> dict[str, TaskState]:
        return {k: s for k, s in self.task_states.items() if s in _BAD_TASK}

    @property
    def ok(self) -> bool:
        return not self.failed_tasks and not self.left and not self.interrupted

    @property
    def status(self) -> RunStatus:
        return RunStatus.of(dry_run=self.dry_run, interrupted=self.interrupted, ok=self.ok)


@dataclass(frozen=True)
class Report:
    """A resource outcome known before any call: kept, blocked, a dry run's plan, a decision."""

    resource: Resource
    outcome: OutcomeKind
    message: str = ""


@dataclass(frozen=True)
class RunWork:
    """What the orchestrator runs for each task attempt, and who is told when a task fails or is
    blocked (destroy blocks what links to the resources it left)."""

    step: TaskWork
    on_settled: SettledHook | None = None


@dataclass
class RunJob:
    """One run, as the use case hands it to the lifecycle.

    `idle` names the tasks with nothing to do (skipped, with the reason); `failures` the tasks whose
    listing failed; `work` builds the task work for the run id (a real run only).
    """

    action: Action
    dry_run: bool
    params: dict[str, Any]
    pipeline: Pipeline
    reports: Sequence[Report]
    work: Callable[[str], RunWork]
    failures: Mapping[TaskKey, str] = field(default_factory=dict)
    idle: Mapping[TaskKey, str] = field(default_factory=dict)
    planned: int = 0
    kept: int = 0
    blocked: int = 0
    costs: Sequence[ResourceCost] = ()  # the hourly rates of what the run acts on, recorded with it


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


class RunLifecycle:
    """Runs a RunJob: records the run, reports what is known up front, runs the task DAG (real
    runs), and finishes the run with its status, however it ends (a second Ctrl-C included)."""

    def __init__(
        self,
        runs: RunRepository,
        monitor: BatchMonitoringService,
        orchestrator: ProcessingOrchestrator,
        clock: Clock,
        stop: StopSignal | None = None,
        new_id: Callable[[], str] = _new_id,
    ) -> None:
        self._runs = runs
        self._monitor = monitor
        self._orchestrator = orchestrator
        self._clock = clock
        self._stop = stop or StopSignal()
        self._new_id = new_id

    def run(self, job: RunJob) -> RunResult:
        run_id = self._new_id()
        kind = job.action.value if job.action is not Action.DELETE else "destroy"
        self._runs.add_run(run_id, kind, job.dry_run, self._clock.now(), job.params)
        if job.costs:
            self._runs.record_costs(run_id, job.costs)
        recorder = RunRecorder(self._runs, self._clock)
        unsubscribe = self._monitor.subscribe(recorder)
        self._stop.clear()
        try:
            self._monitor.emit(EventKind.RUN_STARTED, run_id, message="dry run" if job.dry_run else kind)
            for report in job.reports:
                self._monitor.resource_event(
                    run_id, report.resource, job.action.value, report.outcome, report.message
                )
            finished = True
            if not job.dry_run:
                for key, task in job.pipeline.tasks.items():
                    if key in job.failures:  # its listing failed: it fails, its dependents are blocked
                        task.move(TaskState.RUNNING)
                        task.move(TaskState.FAILED, job.failures[key])
                        self._monitor.task_event(run_id, task, job.failures[key])
                    elif key in job.idle:
                        task.move(TaskState.SKIPPED, job.idle[key])
                        self._monitor.task_event(run_id, task, job.idle[key])
                work = job.work(run_id)
                finished = self._orchestrator.run(
                    job.pipeline, work.step, run_id, self._stop.requested, work.on_settled
                )
            result = self._result(job, run_id, interrupted=not finished)
            self._monitor.emit(EventKind.RUN_FINISHED, run_id, state=result.status)
        except KeyboardInterrupt:  # aborted at once (a second Ctrl-C): say so, then let it go on
            self._end(run_id, unsubscribe, recorder, RunStatus.INTERRUPTED, {"aborted": True})
            raise
        except Exception as error:  # a bug or an unusable store: the run is not left "running"
            self._end(
                run_id, unsubscribe, recorder, RunStatus.FAILED, {"error": f"{type(error).__name__}: {error}"}
            )
            raise
        self._end(run_id, unsubscribe, recorder, result.status, _summary(result))
        return result

    def _end(
        self,
        run_id: str,
        unsubscribe: Callable[[], None],
        recorder: RunRecorder,
        status: RunStatus,
        summary: dict[str, Any],
    ) -> None:
        unsubscribe()
        recorder.close()  # the history first, then the status that says it is complete
        self._runs.finish_run(run_id, status, self._clock.now(), summary)

    def _result(self, job: RunJob, run_id: str, *, interrupted: bool) -> RunResult:
        tasks = job.pipeline.tasks
        return RunResult(
            run_id=run_id,
            action=job.action,
            dry_run=job.dry_run,
            task_states={str(k): t.state for k, t in tasks.items()},
            task_reasons={str(k): t.reason for k, t in tasks.items() if t.reason},
            outcomes=dict(self._monitor.run_outcomes(run_id)),
            planned=job.planned,
            kept=job.kept,
            blocked=job.blocked,
            interrupted=interrupted,
        )


def _summary(result: RunResult) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "outcomes": {str(k): n for k, n in result.outcomes.items()},
        "tasks": {str(k): n for k, n in Counter(result.task_states.values()).items()},
    }
    if result.action is Action.DELETE:
        summary.update(planned=result.planned, kept=result.kept)
    return summary
