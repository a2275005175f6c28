"""The seed's scheduling approach, for comparison: run stage after stage, each stage to the end."""

from __future__ import annotations

from collections.abc import Callable

from costzero.application.orchestrator import ProcessingOrchestrator, SettledHook, TaskWork
from costzero.domain.planning import Pipeline
from costzero.domain.tasks import Task, TaskState


class StageBarrierOrchestrator(ProcessingOrchestrator):
    """Same workers, caps and retries as ProcessingOrchestrator, but with a barrier between stages."""

    def run(
        self,
        pipeline: Pipeline,
        work: TaskWork,
        run_id: str = "",
        stop_requested: Callable[[], bool] | None = None,
        on_settled: SettledHook | None = None,
    ) -> bool:
        failed = False
        for stage in pipeline.stages:
            originals = [pipeline.tasks[key] for key in stage.tasks]
            copies = {task.key: Task(task.key, state=task.state) for task in originals}
            if failed:
                for task in copies.values():
                    if task.state is TaskState.PLANNED:
                        task.state = TaskState.BLOCKED
            super().run(Pipeline(copies), work, run_id, stop_requested, on_settled)
            for task in originals:
                task.state = copies[task.key].state
                failed = failed or task.state is TaskState.FAILED
        return True
