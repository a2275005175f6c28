"""Stop (park) work, per resource: snapshot written (write-once) -> applying -> call -> applied
-> verified. A resource found parked already only has its snapshot's step brought in line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from costzero.application.park_item import ParkItem
from costzero.application.park_task import ParkCall, ParkTaskWork
from costzero.application.ports import ParkHandler
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.parking import Decision, ParkStep, Snapshot, decide_stop
from costzero.domain.resources import Action


class StopWork(ParkTaskWork):
    action: ClassVar[Action] = Action.STOP
    finished_word: ClassVar[str] = "parked"

    def _reconcile(self, item: ParkItem, snapshot: Snapshot) -> None:
        if snapshot.step is not ParkStep.VERIFIED:
            self._move(item, ParkStep.VERIFIED, "found parked")

    def _commit(self, item: ParkItem) -> None:
        if item.snapshot is None:
            item.snapshot = Snapshot(
                item.ref,
                item.settings,
                self._run_id,
                self._clock.now(),
                name=item.resource.name,
                tags=item.resource.tags,
            )
            self._snapshots.take(item.snapshot)
            self._checkpoints.reached("snapshot")
        self._move(item, ParkStep.APPLYING)
        self._checkpoints.reached(ParkStep.APPLYING.value)

    def _operation(self, handler: ParkHandler) -> ParkCall:
        return handler.stop

    def _accepted(self, item: ParkItem) -> None:
        self._move(item, ParkStep.APPLIED)
        self._checkpoints.reached("applied")

    def _redecide(
        self, handler: ParkHandler, item: ParkItem, current: dict[str, Any]
    ) -> tuple[Decision, str]:
        return decide_stop(item.snapshot, current, item.parked, handler.looks_parked(current), False)

    def _target(self, handler: ParkHandler, item: ParkItem, saved: Mapping[str, Any]) -> dict[str, Any]:
        return item.parked

    def _confirmed(
        self, key: str, item: ParkItem, current: dict[str, Any], target: Mapping[str, Any]
    ) -> None:
        self._move(item, ParkStep.VERIFIED)
        self._checkpoints.reached("verified")
        self._report(key, item, OutcomeKind.PARKED, item.change)
