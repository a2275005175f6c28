"""The day's cache in front of Cost Explorer ($0.01 a request): one request per question per UTC
day, `refresh` asks again, a broken or unwritable cache never breaks the command."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from costzero.domain.spend import SpendGrouping, SpendRow
from costzero.infrastructure.spend_cache import DailySpendCache
from tests.fakes.clock import FakeClock
from tests.fakes.spend import FakeSpendSource

MORNING = datetime(2026, 3, 15, 0, 30, tzinfo=UTC)
START, END = date(2026, 3, 1), date(2026, 3, 15)
BY_RUN = SpendGrouping.of("tag:TEST_RUN_ID")
ROWS = [SpendRow("run-1", 5.25, "USD", True), SpendRow("(no TEST_RUN_ID tag)", 0.5)]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MORNING)


def _cache(tmp_path, clock, source, scope: str = "111122223333@aws") -> DailySpendCache:
    return DailySpendCache(source, clock, tmp_path / "cost-explorer", scope=lambda: scope)


def test_the_same_question_on_the_same_utc_day_is_asked_once(tmp_path, clock):
    source = FakeSpendSource(ROWS, fetched_at=MORNING)
    cache = _cache(tmp_path, clock, source)
    first = cache.spend(START, END, BY_RUN)
    clock.advance(23 * 3600)  # 23:30 the same day
    again = cache.spend(START, END, BY_RUN)
    assert len(source.calls) == 1
    assert not first.cached and again.cached
    assert again.rows == first.rows and again.fetched_at == MORNING and again.grouping == BY_RUN
    assert (again.start, again.end, again.requests) == (START, END, 1)


def test_the_next_day_asks_again_and_forgets_the_old_answers(tmp_path, clock):
    source = FakeSpendSource(ROWS)
    cache = _cache(tmp_path, clock, source)
    cache.spend(START, END, BY_RUN)
    clock.advance(3600)  # 01:30 UTC, the same day
    cache.spend(START, END, BY_RUN)
    clock.advance(23 * 3600)  # 00:30 the next day
    assert not cache.spend(START, END, BY_RUN).cached
    assert len(source.calls) == 2
    assert [p.name[:10] for p in cache.directory.glob("*.json")] == ["2026-03-16"]


def test_refresh_asks_again_and_replaces_the_answer(tmp_path, clock):
    source = FakeSpendSource(ROWS)
    cache = _cache(tmp_path, clock, source)
    cache.spend(START, END, BY_RUN)
    source.rows = [SpendRow("run-1", 6.0)]
    fresh = cache.spend(START, END, BY_RUN, refresh=True)
    assert not fresh.cached and fresh.total == 6.0 and len(source.calls) == 2
    assert cache.spend(START, END, BY_RUN).total == 6.0 and len(source.calls) == 2


def test_another_period_grouping_account_or_endpoint_is_another_question(tmp_path, clock):
    source = FakeSpendSource(ROWS)
    cache = _cache(tmp_path, clock, source)
    cache.spend(START, END, BY_RUN)
    cache.spend(START, date(2026, 3, 14), BY_RUN)
    cache.spend(START, END, SpendGrouping.of("service"))
    _cache(tmp_path, clock, source, scope="999988887777@aws").spend(START, END, BY_RUN)
    _cache(tmp_path, clock, source, scope="111122223333@http://127.0.0.1:5000").spend(START, END, BY_RUN)
    assert len(source.calls) == 5


@pytest.mark.parametrize(
    "content", [b"{not json", b"", b"[]", b'{"format": 1}', b'{"format": 1, "request": 3}', b"\xff\xfe"]
)
def test_a_broken_cache_file_counts_as_absent(tmp_path, clock, content):
    source = FakeSpendSource(ROWS)
    cache = _cache(tmp_path, clock, source)
    cache.spend(START, END, BY_RUN)
    (path,) = cache.directory.glob("*.json")
    path.write_bytes(content)
    answer = cache.spend(START, END, BY_RUN)
    assert not answer.cached and len(source.calls) == 2
    assert cache.spend(START, END, BY_RUN).cached  # rewritten


def test_a_cache_that_cannot_be_written_still_shows_the_answer(tmp_path, clock):
    blocked = tmp_path / "cost-explorer"
    blocked.write_text("a file where the directory should be")
    source = FakeSpendSource(ROWS)
    cache = DailySpendCache(source, clock, blocked, scope=lambda: "a@aws")
    assert cache.spend(START, END, BY_RUN).total == pytest.approx(5.75)
    assert not cache.spend(START, END, BY_RUN).cached and len(source.calls) == 2


def test_a_refusal_is_not_cached(tmp_path, clock):
    from costzero.domain.errors import CloudError

    source = FakeSpendSource(error=CloudError("no data yet"))
    cache = _cache(tmp_path, clock, source)
    for _ in range(2):
        with pytest.raises(CloudError):
            cache.spend(START, END, BY_RUN)
    assert len(source.calls) == 2 and not cache.directory.exists()
