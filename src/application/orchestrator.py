from __future__ import annotations

from collections.abc import Callable

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.ports import Clock, TaskExecutor
from costzero.application.resource_manager import ConcurrencyLimits
from costzero.application.scheduling import Engine, ScheduledRun, SchedulingError, never
from costzero.application.task_steps import SettledHook, StepKind, TaskStep, TaskWork, WaitPolicy
from costzero.domain.planning import Pipeline

__all__ = [
    "ProcessingOrchestrator",
    "SchedulingError",
    "SettledHook",
    "StepKind",
    "TaskStep",
    "TaskWork",
    "WaitPolicy",
]


class ProcessingOrchestrator:
    """Runs a pipeline's task DAG on a TaskExecutor.

    - a task starts as soon as its `requires` succeeded (no stage barriers); its `follows` are not
      waited for: its work waits resource by resource and says so (TaskStep.waits_on); among ready
      tasks, those heading the longest chains of dependents and followers go first;
    - concurrency is capped overall and per (account, region, service) by a BatchResourceManager;
    - a RETRY step re-queues the task when what it waits for is likely done (see WaitPolicy and
      TaskStep): a transition around its expected time, throttling after an exponential backoff, a
      wait on other tasks as soon as one of them makes progress; a task whose own waiting exceeds
      the budget fails;
    - a failed task blocks all its dependents, transitively; its followers go on (their work
      blocks what links to the resources it left, told through `on_settled`).

    Every transition is emitted as a TASK event on the monitor.
    """

    def __init__(
        self,
        executor: TaskExecutor,
        clock: Clock,
        monitor: BatchMonitoringService,
        limits: ConcurrencyLimits | None = None,
        wait: WaitPolicy | None = None,
    ) -> None:
        self._engine = Engine(executor, clock, monitor, limits or ConcurrencyLimits(), wait or WaitPolicy())

    def run(
        self,
        pipeline: Pipeline,
        work: TaskWork,
        run_id: str = "",
        stop_requested: Callable[[], bool] | None = None,
        on_settled: SettledHook | None = None,
    ) -> bool:
        """Run the DAG; returns False when `stop_requested` ended it early.

        Once `stop_requested()` is true no task is started any more, the tasks already running are
        let finish, and the run returns with the rest left planned or waiting (resumable).
        `on_settled(key, state)` is called for every task that is or ends failed or blocked.
        """
        return ScheduledRun(
            self._engine, pipeline, work, run_id, stop_requested or never, on_settled
        ).execute()
