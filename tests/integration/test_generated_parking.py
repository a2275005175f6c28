"""stop -> start against generated estates: every parkable type, 0 to 2 of each, in varied states.

Each example resets the moto server, seeds one drawn estate and checks, through the SDK, that
`start` with nothing parked does nothing, that a second `stop` makes no mutating call, that `start`
puts every field of every resource back, and that a second `start` does nothing.
`make test` runs one estate with every type in each of its states (EVERY_STATE), then draws 3 more;
`make soak` draws many more estates (SOAK_EXAMPLES).
"""

from __future__ import annotations

import functools
from typing import Any

import boto3
from hypothesis import HealthCheck, example, given, settings

from costzero.application.parking import ParkPlan
from costzero.presentation.sdk import CostZero
from tests.integration.account_shapes import examples, soaking
from tests.integration.park_shapes import EVERY_STATE, PARKABLE_TYPES, ParkShape, park_shapes, seed_estate

REGION = "us-east-1"
WAIT = {"budget_seconds": 30, "first_delay": 0.01, "max_delay": 0.05}


def settings_of(plan: ParkPlan) -> dict[str, dict[str, Any]]:
    """The parkable settings of every resource a stop plan considers (not what is kept: members of
    an Auto Scaling group or a DB cluster, alarms of a target tracking policy)."""
    return {f"{i.resource.type_key}/{i.resource.id}": dict(i.settings) for i in plan.reports}


def restorable(settings: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What `start` promises back: an on-demand Kinesis stream gets its mode back, and its shard
    count is AWS's own (KinesisStreamHandler.restore_target)."""
    return {
        key: {k: v for k, v in fields.items() if not (fields.get("mode") == "ON_DEMAND" and k == "shards")}
        for key, fields in settings.items()
    }


@settings(
    max_examples=examples(3),
    derandomize=not soaking(),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=park_shapes())
@example(shape=EVERY_STATE)
def test_any_estate_is_parked_and_restored_exactly(shape: ParkShape, moto_server, tmp_path_factory):
    moto_server.reset()
    seed_estate(shape, functools.partial(_client, endpoint_url=moto_server.endpoint_url))
    database = tmp_path_factory.mktemp("park") / "park.db"
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{database}",
        wait=WAIT,
    ) as sdk:
        account = sdk.whoami()
        idle = sdk.start(types=list(PARKABLE_TYPES), dry_run=False)  # nothing parked yet
        assert idle.ok and not idle.outcomes.get("restored"), idle.outcomes
        assert sdk.api_calls == {}

        plan = sdk.plan_stop(types=list(PARKABLE_TYPES), accounts=[account])
        before = settings_of(plan)
        assert len(before) == shape.size, sorted(before)  # discovery finds the whole estate, only it
        stopped = sdk.park(plan, dry_run=False, yes=True)
        assert stopped.ok, (stopped.task_reasons, stopped.outcomes)
        calls = dict(sdk.api_calls)
        again = sdk.stop(types=list(PARKABLE_TYPES), accounts=[account], dry_run=False, yes=True)
        assert again.ok, (again.task_reasons, again.outcomes)
        assert sdk.api_calls == calls, "a second stop makes no mutating call"

        started = sdk.start(types=list(PARKABLE_TYPES), dry_run=False)
        assert started.ok, (started.task_reasons, started.outcomes)
        assert started.outcomes.get("restored", 0) == stopped.outcomes.get("parked", 0), started.outcomes
        assert restorable(settings_of(sdk.plan_stop(types=list(PARKABLE_TYPES)))) == restorable(before)

        calls = dict(sdk.api_calls)
        done = sdk.start(types=list(PARKABLE_TYPES), dry_run=False)  # nothing parked any more
        assert done.ok and not done.outcomes.get("restored"), done.outcomes
        assert sdk.api_calls == calls


@functools.cache
def _client(service: str, region: str = REGION, *, endpoint_url: str) -> Any:
    return boto3.client(service, region_name=region, endpoint_url=endpoint_url)
