"""The JSON mirror of the open park snapshots (the seed's state-file shape, one list per type)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from costzero.application.ports import SnapshotRepository
from costzero.domain.errors import BadInputError, SnapshotExistsError
from costzero.domain.parking import ParkRef, ParkStep, Snapshot

STATE_VERSION = "1.0"
_FIELDS = ("id", "account", "region", "settings", "run_id", "taken_at", "step")

SettingsCheck = Callable[[str, Mapping[str, Any]], str | None]
"""(type key, settings) -> why they are not valid saved settings of that type, or None."""


def export_state(snapshots: SnapshotRepository, now: datetime) -> dict[str, Any]:
    resources: dict[str, list[dict[str, Any]]] = {}
    for snapshot in snapshots.open_snapshots():
        ref = snapshot.ref
        resources.setdefault(ref.type_key, []).append(
            {
                "id": ref.resource_id,
                "name": snapshot.name,
                "account": ref.account,
                "region": ref.region,
                "settings": dict(snapshot.settings),
                "run_id": snapshot.run_id,
                "taken_at": snapshot.taken_at.isoformat(),
                "step": snapshot.step.value,
                "tags": dict(snapshot.tags) if snapshot.tags is not None else None,
            }
        )
    return {"version": STATE_VERSION, "timestamp": now.isoformat(), "resources": resources}


def import_state(
    snapshots: SnapshotRepository, data: Any, check: SettingsCheck | None = None
) -> dict[str, list[str]]:
    """Add the snapshots of `data` that the store does not hold; never overwrite an open one.

    The whole file is validated first, each entry's settings by `check` against its type's schema:
    a bad one changes nothing (BadInputError, one line naming the entry).
    """
    parsed = [_parse(type_key, entry) for type_key, entry in _entries(data)]
    for snapshot in parsed:
        problem = check(snapshot.ref.type_key, snapshot.settings) if check is not None else None
        if problem is not None:
            raise BadInputError(f"state file: {snapshot.ref.type_key} {snapshot.ref.resource_id}: {problem}")
    report: dict[str, list[str]] = {"imported": [], "kept": []}
    for snapshot in parsed:
        try:
            snapshots.take(snapshot)
            report["imported"].append(snapshot.ref.key)
        except SnapshotExistsError:
            report["kept"].append(snapshot.ref.key)
    return report


def _entries(data: Any) -> list[tuple[str, Mapping[str, Any]]]:
    if not isinstance(data, Mapping) or data.get("version") != STATE_VERSION:
        raise BadInputError(f"not a costzero state file (expected version {STATE_VERSION!r})")
    resources = data.get("resources")
    if not isinstance(resources, Mapping):
        raise BadInputError("state file: 'resources' must be a mapping of type -> list")
    entries: list[tuple[str, Mapping[str, Any]]] = []
    for type_key, items in resources.items():
        if not isinstance(items, list):
            raise BadInputError(f"state file: resources.{type_key} must be a list")
        entries.extend((str(type_key), item) for item in items)
    return entries


def _parse(type_key: str, entry: Any) -> Snapshot:
    if not isinstance(entry, Mapping) or any(field not in entry for field in _FIELDS):
        raise BadInputError(f"state file: a {type_key} entry lacks one of {', '.join(_FIELDS)}")
    if not isinstance(entry["settings"], Mapping):
        raise BadInputError(f"state file: {type_key} {entry['id']}: settings must be a mapping")
    try:
        taken_at = datetime.fromisoformat(str(entry["taken_at"]))
        step = ParkStep(entry["step"])
    except ValueError as error:
        raise BadInputError(f"state file: {type_key} {entry['id']}: {error}") from None
    if step is ParkStep.RESTORED:
        raise BadInputError(f"state file: {type_key} {entry['id']}: a restored snapshot is not parked state")
    tags = entry.get("tags")  # optional: files written before tags were kept have none
    if tags is not None and not (
        isinstance(tags, Mapping) and all(isinstance(v, str) for v in tags.values())
    ):
        raise BadInputError(f"state file: {type_key} {entry['id']}: tags must map names to strings")
    ref = ParkRef(type_key, str(entry["account"]), str(entry["region"]), str(entry["id"]))
    return Snapshot(
        ref,
        dict(entry["settings"]),
        str(entry["run_id"]),
        taken_at,
        step,
        entry.get("name"),
        tags={str(k): v for k, v in tags.items()} if tags is not None else None,
    )
