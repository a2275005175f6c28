from datetime import timedelta

import pytest
from dependency_injector import providers

from costzero.domain.errors import SafetyRefusal
from costzero.presentation.sdk import CostZero
from tests.fakes.clock import FakeClock


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sdk(moto_server, tmp_path, clock):
    client = CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=["us-east-1"],
        database_url=f"sqlite:///{tmp_path / 'p.db'}",
        wait={"budget_seconds": 30, "first_delay": 0.01, "max_delay": 0.05},
    )
    # time for the 24-hour limits comes from a fake clock; waits still really sleep
    real_sleep = client._container.clock().sleep
    clock.sleep = lambda seconds: (real_sleep(seconds), clock.advance(seconds))  # type: ignore[method-assign]
    client._container.clock.override(providers.Object(clock))
    with client:
        yield client


def shards(seed, name):
    return seed("kinesis").describe_stream_summary(StreamName=name)["StreamDescriptionSummary"][
        "OpenShardCount"
    ]


def test_eight_shards_go_to_one_and_back_in_valid_steps(sdk, seed, moto_server):
    seed("kinesis").create_stream(StreamName="events", ShardCount=8)
    account = sdk.whoami()
    stopped = sdk.stop(types=["kinesis:stream"], accounts=[account], dry_run=False, yes=True)
    assert stopped.ok, stopped.task_reasons
    assert shards(seed, "events") == 1
    assert sdk.api_calls["kinesis:UpdateShardCount"] == 3  # 8 -> 4 -> 2 -> 1
    started = sdk.start(types=["kinesis:stream"], dry_run=False)
    assert started.ok and started.outcomes["restored"] == 1
    assert shards(seed, "events") == 8
    assert sdk.api_calls["kinesis:UpdateShardCount"] == 6  # 1 -> 2 -> 4 -> 8


def test_a_plan_that_would_break_the_daily_limit_is_refused_before_any_call(sdk, seed, clock):
    seed("kinesis").create_stream(StreamName="events", ShardCount=8)
    account = sdk.whoami()
    # stop + start = 6 changes; a second stop (3 more) still fits in AWS's 10 per 24 hours
    sdk.stop(types=["kinesis:stream"], accounts=[account], dry_run=False, yes=True)
    sdk.start(types=["kinesis:stream"], dry_run=False)
    sdk.stop(types=["kinesis:stream"], accounts=[account], dry_run=False, yes=True)
    calls = dict(sdk.api_calls)
    with pytest.raises(SafetyRefusal, match=r"kinesis:stream events: needs 3 change\(s\) but 9 of AWS's 10"):
        sdk.plan_start(types=["kinesis:stream"])
    assert sdk.api_calls == calls  # refused with 0 further mutating calls
    clock.advance(timedelta(hours=25).total_seconds())
    assert sdk.start(types=["kinesis:stream"], dry_run=False).ok
    assert shards(seed, "events") == 8


def test_an_on_demand_stream_comes_back_on_demand_without_reported_differences(sdk, seed):
    # Found by the generated parking test: an on-demand stream (4 shards, AWS's choice) parked at
    # 1 provisioned shard came back on-demand, but verification compared the saved shard count too
    # and reported "restored-with-differences: shards: expected 4, found 1".
    seed("kinesis").create_stream(StreamName="clicks", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    account = sdk.whoami()
    assert sdk.stop(types=["kinesis:stream"], accounts=[account], dry_run=False, yes=True).ok
    started = sdk.start(types=["kinesis:stream"], dry_run=False)
    assert started.ok and started.outcomes == {"restored": 1}
    summary = seed("kinesis").describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]
    assert summary["StreamModeDetails"]["StreamMode"] == "ON_DEMAND"


def test_a_stream_is_deleted_with_its_consumers_and_confirmed_gone(aws, location, seed):
    from costzero.domain.outcomes import OutcomeKind
    from costzero.infrastructure.aws.handlers.kinesis_stream import KinesisStreamHandler

    kinesis = seed("kinesis")
    kinesis.create_stream(StreamName="clicks", ShardCount=2)
    arn = kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]["StreamARN"]
    kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="fan-out")
    handler = KinesisStreamHandler(aws)
    [found] = handler.discover(location, [])
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE  # a second delete: gone


def test_deleting_sends_enforce_consumer_deletion_and_a_stream_mid_change_is_not_yet():
    # moto deletes a stream in any state; AWS refuses one CREATING or UPDATING (ResourceInUse).
    from costzero.domain.outcomes import OutcomeKind
    from costzero.domain.resources import Location, Resource
    from costzero.infrastructure.aws.handlers.kinesis_stream import KinesisStreamHandler
    from tests.integration.stubs import StubbedClients

    stub = StubbedClients("kinesis")
    params = {"StreamName": "s", "EnforceConsumerDeletion": True}
    stub.error("delete_stream", "ResourceInUseException", "Stream s is being updated", params)
    [result] = KinesisStreamHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("kinesis:stream", "s", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET


def test_parking_still_works_after_deletion_joined_the_actions(sdk, seed):
    seed("kinesis").create_stream(StreamName="kept", ShardCount=2)
    stopped = sdk.stop(types=["kinesis:stream"], accounts=[sdk.whoami()], dry_run=False, yes=True)
    assert stopped.ok, stopped.task_reasons
    assert shards(seed, "kept") == 1
