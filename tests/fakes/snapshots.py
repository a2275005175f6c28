from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

from costzero.domain.errors import BadInputError, SnapshotExistsError
from costzero.domain.parking import ParkStep, Snapshot, check_step


class FakeSnapshotRepository:
    """SnapshotRepository in memory, with the SQL adapter's rules: one open snapshot per resource
    (a second `take` raises SnapshotExistsError), moves only along the lifecycle
    (IllegalTransitionError), `restored` closes it; closed ones stay for `history`.

    `rows` holds every snapshot, oldest first; `moves` logs (ref key, step) and `messages` the last
    message per ref key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rows: list[Snapshot] = []
        self.moves: list[tuple[str, ParkStep]] = []
        self.messages: dict[str, str] = {}

    def find(self, ref_key: str) -> Snapshot | None:
        with self._lock:
            index = self._open(ref_key)
            return self.rows[index] if index is not None else None

    def open_snapshots(self, account: str | None = None) -> list[Snapshot]:
        with self._lock:
            return [
                s for s in self.rows if s.closed_at is None and (account is None or s.ref.account == account)
            ]

    def history(self, ref_key: str, since: datetime) -> list[Snapshot]:
        with self._lock:
            return [
                s
                for s in self.rows
                if s.ref.key == ref_key
                and (s.taken_at > since or (s.closed_at is not None and s.closed_at > since))
            ]

    def take(self, snapshot: Snapshot) -> None:
        with self._lock:
            if self._open(snapshot.ref.key) is not None:
                raise SnapshotExistsError(f"{snapshot.ref.key} already has an open snapshot")
            self.rows.append(replace(snapshot, updated_at=snapshot.taken_at, closed_at=None))

    def move(self, ref_key: str, step: ParkStep, at: datetime, run_id: str, message: str = "") -> None:
        with self._lock:
            index = self._open(ref_key)
            if index is None:
                raise BadInputError(f"no open snapshot for {ref_key}")
            check_step(self.rows[index].step, step)
            closed = at if step is ParkStep.RESTORED else None
            self.rows[index] = replace(self.rows[index], step=step, updated_at=at, closed_at=closed)
            self.moves.append((ref_key, step))
            self.messages[ref_key] = message

    def _open(self, ref_key: str) -> int | None:
        for index, snapshot in enumerate(self.rows):
            if snapshot.ref.key == ref_key and snapshot.closed_at is None:
                return index
        return None
