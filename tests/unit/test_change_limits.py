from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costzero.domain.change_limits import PastChange, check_window, shard_steps
from costzero.domain.errors import SafetyRefusal

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_shard_steps_halve_and_double():
    assert shard_steps(8, 1) == [4, 2, 1]
    assert shard_steps(1, 8) == [2, 4, 8]
    assert shard_steps(5, 1) == [3, 2, 1]
    assert shard_steps(1, 5) == [2, 4, 5]
    assert shard_steps(3, 3) == []


@given(st.integers(1, 500), st.integers(1, 500))
def test_every_step_is_within_half_and_double(current, target):
    previous = current
    for step in shard_steps(current, target):
        assert previous / 2 <= step <= previous * 2
        previous = step
    assert previous == target


def test_the_window_counts_only_the_last_24_hours():
    old = [PastChange(NOW - timedelta(hours=30), 9)]
    check_window("stream s", 3, old, 10, NOW)
    recent = [PastChange(NOW - timedelta(hours=5), 3), PastChange(NOW - timedelta(hours=2), 3)]
    check_window("stream s", 3, recent, 10, NOW)
    with pytest.raises(SafetyRefusal, match=r"needs 3 change\(s\) but 9 of AWS's 10.*after 2026-03-02 07:00"):
        check_window("stream s", 3, [*recent, PastChange(NOW - timedelta(hours=1), 3)], 10, NOW)
