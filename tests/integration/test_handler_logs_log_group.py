import pytest

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.logs_log_group import LogsLogGroupHandler
from tests.integration.stubs import StubbedClients


def test_discovers_deletes_and_prices_log_groups(aws, location, seed):
    logs = seed("logs")
    logs.create_log_group(logGroupName="/aws/lambda/worker", tags={"team": "ops"})
    logs.create_log_group(logGroupName="app")
    logs.create_log_stream(logGroupName="app", logStreamName="s")
    logs.put_log_events(
        logGroupName="app",
        logStreamName="s",
        logEvents=[{"timestamp": 1_700_000_000_000, "message": "x" * 1024}],
    )
    handler = LogsLogGroupHandler(aws)

    found = {r.id: r for r in handler.discover(location, [])}
    assert set(found) == {"/aws/lambda/worker", "app"}
    assert found["/aws/lambda/worker"].tags == {"team": "ops"}
    [usage] = handler.usage(found["app"])
    assert (usage.service, usage.usage_type, usage.unit) == (
        "AmazonCloudWatch",
        "TimedStorage-ByteHrs",
        "GB-Mo",
    )
    assert usage.monthly and usage.quantity == found["app"].attributes["stored_bytes"] / 1024**3
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert logs.describe_log_groups()["logGroups"] == []
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.GONE}


def test_a_protected_log_group_is_left_without_a_mutating_call():
    # moto has no deletion protection for log groups: Stubber, with no reply queued (any call fails)
    stub = StubbedClients("logs")
    group = Resource("logs:log-group", "audit", "1", "us-east-1", attributes={"deletion_protection": True})
    [result] = LogsLogGroupHandler(stub).delete(Location("1", "us-east-1"), [group])
    assert result.kind is OutcomeKind.PROTECTED and "--disable-protection logs:log-group" in result.message
    stub.stubber.assert_no_pending_responses()


def test_a_protected_log_group_is_unprotected_then_deleted_when_allowed():
    stub = StubbedClients("logs")
    stub.reply(
        "put_log_group_deletion_protection",
        {},
        {"logGroupIdentifier": "audit", "deletionProtectionEnabled": False},
    )
    stub.reply("delete_log_group", {}, {"logGroupName": "audit"})
    group = Resource("logs:log-group", "audit", "1", "us-east-1", attributes={"deletion_protection": True})
    options = HandlerOptions(disable_protection=frozenset({"logs:log-group"}))
    [result] = LogsLogGroupHandler(stub, options).delete(Location("1", "us-east-1"), [group])
    assert result.kind is OutcomeKind.DONE
    stub.stubber.assert_no_pending_responses()


def test_stored_bytes_are_priced_per_gib_month():
    group = Resource("logs:log-group", "g", "1", "us-east-1", attributes={"stored_bytes": 5 * 1024**3})
    [usage] = LogsLogGroupHandler(StubbedClients("logs")).usage(group)
    assert usage.quantity == pytest.approx(5.0) and usage.usage_type == "TimedStorage-ByteHrs"


def test_unread_stored_bytes_leave_the_storage_unknown():
    group = Resource("logs:log-group", "g", "1", "us-east-1", attributes={"log_class": "INFREQUENT_ACCESS"})
    [usage] = LogsLogGroupHandler(StubbedClients("logs")).usage(group)
    assert usage.quantity is None and usage.usage_type == "TimedStorage-IA-ByteHrs"


def test_the_bundled_book_prices_standard_log_storage_in_us_east_1():
    from costzero.domain.pricing import PriceKey
    from costzero.infrastructure.pricing.book_file import BUNDLED, read_book

    group = Resource("logs:log-group", "g", "1", "us-east-1", attributes={"stored_bytes": 1024**3})
    [usage] = LogsLogGroupHandler(StubbedClients("logs")).usage(group)
    key = PriceKey.of(usage.service, group.region, usage.usage_type, usage.unit)
    assert read_book(BUNDLED).price(key) == 0.03
