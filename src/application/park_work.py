"""The work of a stop or a start task, picked by action."""

from __future__ import annotations

from collections.abc import Mapping

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.park_item import ParkItem
from costzero.application.park_start import StartWork
from costzero.application.park_stop import StopWork
from costzero.application.park_task import ParkTaskWork
from costzero.application.ports import Checkpoints, Clock, ParkHandler, SnapshotRepository
from costzero.domain.resources import Action

_WORK: dict[Action, type[ParkTaskWork]] = {Action.STOP: StopWork, Action.START: StartWork}


def work_for(
    action: Action,
    handlers: Mapping[str, ParkHandler],
    items: Mapping[str, list[ParkItem]],
    snapshots: SnapshotRepository,
    checkpoints: Checkpoints,
    monitor: BatchMonitoringService,
    clock: Clock,
    run_id: str,
) -> ParkTaskWork:
    return _WORK[action](handlers, items, snapshots, checkpoints, monitor, clock, run_id)
