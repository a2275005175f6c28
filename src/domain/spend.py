"""Actual spend, as AWS Cost Explorer reports it: a period of whole UTC days, a grouping, and the
unblended cost of each group.

Cost Explorer answers for days: `start` is the first day, `end` the day after the last (exclusive,
as the API takes it). It holds 13 months of history beside the current month, so a period that
starts earlier, or in the future, is refused before any request (each request costs $0.01).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from costzero.domain.errors import BadInputError

SPEND_GROUP_BYS = ("service", "region", "account", "usage-type", "tag:KEY")
# --group-by -> Cost Explorer's DIMENSION key
DIMENSIONS = {
    "service": "SERVICE",
    "region": "REGION",
    "account": "LINKED_ACCOUNT",
    "usage-type": "USAGE_TYPE",
}
MONTHS_OF_HISTORY = 13  # before the current month (AWS: "the last 13 months and the current month")
TAG_SEPARATOR = "$"  # a TAG group's key comes back as "KEY$value"; "KEY$" = not tagged


@dataclass(frozen=True)
class SpendGrouping:
    """How Cost Explorer groups the spend: by a DIMENSION (SERVICE, REGION, LINKED_ACCOUNT,
    USAGE_TYPE) or by a cost allocation TAG key."""

    kind: str  # "DIMENSION" or "TAG"
    key: str

    @classmethod
    def of(cls, group_by: str) -> SpendGrouping:
        """From `--group-by`. Raises BadInputError (one line) for a grouping Cost Explorer lacks."""
        if group_by in DIMENSIONS:
            return cls("DIMENSION", DIMENSIONS[group_by])
        if group_by.startswith("tag:") and len(group_by) > 4:
            return cls("TAG", group_by[4:])
        hint = " (Cost Explorer knows no resource types)" if group_by == "type" else ""
        raise BadInputError(
            f"cannot group actual spend by {group_by!r}{hint}: use one of {', '.join(SPEND_GROUP_BYS)}"
        )

    @property
    def group_by(self) -> str:
        """Back to the `--group-by` word."""
        if self.kind == "TAG":
            return f"tag:{self.key}"
        return next(word for word, key in DIMENSIONS.items() if key == self.key)

    @property
    def untagged(self) -> str:
        """The group of spend without the tag: named as `cost --group-by tag:KEY` names it."""
        return f"(no {self.key} tag)"

    def group_name(self, aws_key: str) -> str:
        """A group as Cost Explorer names it ("TEST_RUN_ID$run-1"), as costzero shows it ("run-1")."""
        if self.kind != "TAG":
            return aws_key
        value = aws_key.split(TAG_SEPARATOR, 1)[1] if TAG_SEPARATOR in aws_key else aws_key
        return value or self.untagged


@dataclass(frozen=True)
class SpendRow:
    """The unblended cost of one group over the period; `estimated` while AWS may still change it."""

    group: str  # as costzero names it (see SpendGrouping.group_name)
    amount: float
    unit: str = "USD"
    estimated: bool = False


@dataclass(frozen=True)
class Spend:
    """What Cost Explorer reported for one request: its rows, when it was fetched, in how many
    paid requests (pages), and whether this answer came from the day's cache."""

    start: date
    end: date  # exclusive
    grouping: SpendGrouping
    rows: tuple[SpendRow, ...]
    fetched_at: datetime
    requests: int = 1
    cached: bool = False

    @property
    def estimated(self) -> bool:
        return any(row.estimated for row in self.rows)

    @property
    def total(self) -> float:
        return sum(row.amount for row in self.rows)

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def parse_day(text: str | date, flag: str) -> date:
    """A day given as YYYY-MM-DD. Raises BadInputError (one line) for anything else."""
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInputError(f"{flag} {text!r} is not a date: use YYYY-MM-DD") from None


def earliest_day(today: date) -> date:
    """The first day Cost Explorer still holds: the first of the month 13 months back."""
    months = today.year * 12 + today.month - 1 - MONTHS_OF_HISTORY
    return date(months // 12, months % 12 + 1, 1)


def spend_period(since: str | date, until: str | date | None, today: date) -> tuple[date, date]:
    """The period [since, until) to ask for; `until` defaults to today (UTC), so the last day asked
    for is yesterday, the last one Cost Explorer may have whole.

    Raises:
        BadInputError: a date that is not one, `since` in the future or older than Cost Explorer's
            history, `until` after today, or an empty period.
    """
    start = parse_day(since, "--since")
    end = parse_day(until, "--until") if until is not None else today
    if start > today:
        raise BadInputError(f"--since {start} is in the future (today is {today}, UTC)")
    oldest = earliest_day(today)
    if start < oldest:
        raise BadInputError(
            f"--since {start} is older than Cost Explorer's history (13 months and the current one: "
            f"{oldest} at the earliest)"
        )
    if end > today:
        raise BadInputError(f"--until {end} is after today ({today}, UTC)")
    if end <= start:
        raise BadInputError(
            f"--until {end} must be after --since {start} (the period ends the day before --until)"
        )
    return start, end
