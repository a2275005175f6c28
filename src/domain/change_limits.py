"""AWS's per-24-hour change limits, checked when planning, before any call.

Neither Kinesis nor DynamoDB reports how many changes a resource has used, so costzero counts its
own: each stop (snapshot taken) and each start (snapshot closed) in the last 24 hours. Changes made
by others are not seen; AWS then refuses the call and the resource is reported as failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from costzero.domain.errors import SafetyRefusal

WINDOW = timedelta(hours=24)
KINESIS_CHANGES_PER_WINDOW = 10  # UpdateShardCount calls per stream
DYNAMODB_ON_DEMAND_SWITCHES_PER_WINDOW = 4  # provisioned -> on-demand per table


def shard_steps(current: int, target: int) -> list[int]:
    """The shard counts to pass through: each UpdateShardCount may at most halve or double."""
    if current < 1 or target < 1:
        raise ValueError("shard counts are at least 1")
    steps = []
    while current != target:
        current = max(target, -(-current // 2)) if current > target else min(target, current * 2)
        steps.append(current)
    return steps


@dataclass(frozen=True)
class PastChange:
    at: datetime
    count: int


def check_window(what: str, needed: int, history: Iterable[PastChange], limit: int, now: datetime) -> None:
    """Refuse a plan that would exceed `limit` changes within any rolling 24 hours from now."""
    recent = sorted((c for c in history if c.at > now - WINDOW), key=lambda c: c.at)
    used = sum(c.count for c in recent)
    if used + needed <= limit:
        return
    frees_at = recent[0].at + WINDOW if recent else now
    raise SafetyRefusal(
        f"{what}: needs {needed} change(s) but {used} of AWS's {limit} per 24 hours are used; "
        f"try again after {frees_at:%Y-%m-%d %H:%M} UTC"
    )
