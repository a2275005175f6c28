"""Start (restore) work, per resource: restoring -> call -> verified field by field -> restored
(the snapshot closes). A resource found running as before only has its snapshot closed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from costzero.application.park_item import ParkItem
from costzero.application.park_task import ParkCall, ParkTaskWork
from costzero.application.ports import ParkHandler
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.parking import Decision, ParkStep, Snapshot, decide_start, differences
from costzero.domain.resources import Action


class StartWork(ParkTaskWork):
    action: ClassVar[Action] = Action.START
    finished_word: ClassVar[str] = "restored"

    def _reconcile(self, item: ParkItem, snapshot: Snapshot) -> None:
        self._move(item, ParkStep.RESTORED, "found running as before: nothing to restore")

    def _commit(self, item: ParkItem) -> None:
        self._move(item, ParkStep.RESTORING)
        self._checkpoints.reached(ParkStep.RESTORING.value)

    def _operation(self, handler: ParkHandler) -> ParkCall:
        return handler.start

    def _accepted(self, item: ParkItem) -> None:
        """Nothing to commit: `restoring` holds until the settings are seen again."""

    def _redecide(
        self, handler: ParkHandler, item: ParkItem, current: dict[str, Any]
    ) -> tuple[Decision, str]:
        assert item.snapshot is not None
        return decide_start(item.snapshot, current, item.parked, False)

    def _target(self, handler: ParkHandler, item: ParkItem, saved: Mapping[str, Any]) -> dict[str, Any]:
        return handler.restore_target(saved, item.parked)

    def _confirmed(
        self, key: str, item: ParkItem, current: dict[str, Any], target: Mapping[str, Any]
    ) -> None:
        assert item.snapshot is not None
        # fields parking changed but the restore target leaves to AWS (an on-demand stream's shard
        # count) are not differences; every other saved field is, parking's own or not
        left_to_aws = set(item.parked) - set(target)
        saved = item.snapshot.settings
        diffs = differences({k: v for k, v in saved.items() if k not in left_to_aws}, current)
        self._move(item, ParkStep.RESTORED, "; ".join(diffs))
        self._checkpoints.reached("restored")
        outcome = OutcomeKind.RESTORED_WITH_DIFFERENCES if diffs else OutcomeKind.RESTORED
        self._report(key, item, outcome, "; ".join(diffs) or item.change)
