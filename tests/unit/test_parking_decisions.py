from datetime import UTC, datetime

import pytest

from costzero.domain.errors import IllegalTransitionError
from costzero.domain.parking import (
    Decision,
    ParkRef,
    ParkStep,
    Snapshot,
    check_step,
    decide_start,
    decide_stop,
    differences,
)

REF = ParkRef("autoscaling:group", "1", "us-east-1", "web")
ORIGINAL = {"min": 2, "desired": 4, "max": 6, "suspended": []}
PARKED = {"min": 0, "desired": 0, "suspended": ["AZRebalance", "Launch", "ScheduledActions"]}


def snap(step=ParkStep.VERIFIED):
    return Snapshot(REF, ORIGINAL, "run-1", datetime(2026, 1, 1, tzinfo=UTC), step)


def test_stop_decisions():
    assert decide_stop(None, ORIGINAL, PARKED, False, False)[0] is Decision.APPLY
    assert decide_stop(None, {**ORIGINAL, **PARKED}, PARKED, True, False)[0] is Decision.UNMANAGED
    assert decide_stop(snap(), {**ORIGINAL, **PARKED}, PARKED, True, False)[0] is Decision.DONE
    assert decide_stop(snap(ParkStep.PLANNED), ORIGINAL, PARKED, False, False)[0] is Decision.APPLY
    assert decide_stop(None, ORIGINAL, PARKED, False, True)[0] is Decision.WAIT
    again, why = decide_stop(snap(), ORIGINAL, PARKED, False, False)  # came back while parked
    assert again is Decision.APPLY and "running again" in why
    check_step(ParkStep.VERIFIED, ParkStep.APPLYING)  # re-parked under the first snapshot
    drifted, why = decide_stop(snap(), {**ORIGINAL, "desired": 9}, PARKED, False, False)
    assert drifted is Decision.DRIFTED and "desired: expected 0, found 9" in why


def test_an_interrupted_change_is_finished_or_undone_but_drift_is_not():
    half = {**ORIGINAL, "suspended": PARKED["suspended"]}  # suspended, not yet scaled in
    assert decide_stop(snap(ParkStep.APPLYING), half, PARKED, False, False)[0] is Decision.APPLY
    assert decide_start(snap(ParkStep.APPLYING), half, PARKED, False)[0] is Decision.APPLY
    # the same state without a call under way was made by someone else
    assert decide_start(snap(ParkStep.PLANNED), half, PARKED, False)[0] is Decision.DRIFTED
    assert decide_start(snap(ParkStep.APPLYING), {**half, "desired": 7}, PARKED, False)[0] is Decision.DRIFTED


def test_start_decisions():
    assert decide_start(snap(), {**ORIGINAL, **PARKED}, PARKED, False)[0] is Decision.APPLY
    assert decide_start(snap(), ORIGINAL, PARKED, False)[0] is Decision.DONE
    assert decide_start(snap(), None, PARKED, False)[0] is Decision.MISSING


def test_snapshot_steps_follow_their_lifecycle():
    check_step(ParkStep.PLANNED, ParkStep.APPLYING)
    check_step(ParkStep.APPLYING, ParkStep.APPLYING)  # re-entered after a crash
    with pytest.raises(IllegalTransitionError):
        check_step(ParkStep.RESTORED, ParkStep.APPLYING)
    with pytest.raises(IllegalTransitionError):
        check_step(ParkStep.VERIFIED, ParkStep.APPLIED)


def test_differences_are_field_by_field():
    assert differences({"a": 1, "b": 2}, {"a": 1, "b": 3}) == ["b: expected 2, found 3"]
