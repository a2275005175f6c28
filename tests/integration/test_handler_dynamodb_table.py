import pytest

from costzero.domain.errors import SafetyRefusal
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.dynamodb_table import DynamoDbTableHandler
from tests.integration.park_fixtures import seed_table
from tests.integration.stubs import StubbedClients


@pytest.fixture
def sdk(park_sdk):
    return park_sdk


def table_settings(sdk):
    return {
        i.resource.id: i.resource.attributes["settings"]
        for i in sdk.plan_stop(types=["dynamodb:table"]).reports
    }


def test_a_table_with_gsis_and_auto_scaling_round_trips_exactly(sdk, seed):
    seed_table(seed, "orders")
    seed("dynamodb").create_table(
        TableName="already-on-demand",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    before = table_settings(sdk)
    assert before["orders"]["capacity"] == [7, 3] and before["orders"]["gsis"] == {"by-gk": [4, 2]}
    assert before["orders"]["scaling"][0]["policies"][0]["PolicyName"] == "reads"

    account = sdk.whoami()
    stopped = sdk.stop(types=["dynamodb:table"], accounts=[account], dry_run=False, yes=True)
    assert stopped.ok, stopped.task_reasons
    assert stopped.outcomes == {"parked": 1, "unmanaged": 1}  # on-demand already: nothing to save
    parked = table_settings(sdk)["orders"]
    assert parked["billing"] == "PAY_PER_REQUEST" and parked["scaling"] == []

    started = sdk.start(types=["dynamodb:table"], dry_run=False)
    assert started.ok and started.outcomes["restored"] == 1, started.task_reasons
    assert table_settings(sdk) == before


def test_a_fifth_switch_to_on_demand_within_24_hours_is_refused(sdk, seed):
    seed_table(seed, "orders")
    account = sdk.whoami()
    for _ in range(4):
        assert sdk.stop(types=["dynamodb:table"], accounts=[account], dry_run=False, yes=True).ok
        assert sdk.start(types=["dynamodb:table"], dry_run=False).ok
    calls = dict(sdk.api_calls)
    with pytest.raises(SafetyRefusal, match=r"dynamodb:table orders: needs 1 change\(s\) but 4 of AWS's 4"):
        sdk.plan_stop(types=["dynamodb:table"], accounts=[account])
    assert sdk.api_calls == calls


def test_discovery_records_the_table_size_and_class(aws, location, seed):
    seed_table(seed, "orders")
    seed("dynamodb").put_item(TableName="orders", Item={"pk": {"S": "a"}, "gk": {"S": "b"}})
    [table] = DynamoDbTableHandler(aws).discover(location, [])
    assert table.attributes["table_class"] == "STANDARD"
    assert isinstance(table.attributes["size_bytes"], int)  # AWS updates it about every six hours
    assert [u.usage_type for u in DynamoDbTableHandler(aws).usage(table)] == [
        "ReadCapacityUnit-Hrs",
        "WriteCapacityUnit-Hrs",
        "TimedStorage-ByteHrs",
    ]


# -- destroy -------------------------------------------------------------------------------------
def _table(seed, name, protected=False):
    seed("dynamodb").create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        DeletionProtectionEnabled=protected,
    )


def test_tables_are_deleted_and_waited_for_and_their_backups_stay(aws, location, seed):
    _table(seed, "events")
    seed("dynamodb").create_backup(TableName="events", BackupName="keep-me")
    handler = DynamoDbTableHandler(aws)
    [table] = handler.discover(location, [])
    assert handler.delete(location, [table])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(location, [table])[0].kind is OutcomeKind.DONE
    assert seed("dynamodb").list_tables()["TableNames"] == []
    assert len(seed("dynamodb").list_backups()["BackupSummaries"]) == 1
    assert handler.delete(location, [table])[0].kind is OutcomeKind.GONE


def test_a_protected_table_is_left_unless_allowed(aws, location, seed):
    _table(seed, "ledger", protected=True)
    [table] = DynamoDbTableHandler(aws).discover(location, [])
    [result] = DynamoDbTableHandler(aws).delete(location, [table])
    assert result.kind is OutcomeKind.PROTECTED and "--disable-protection dynamodb:table" in result.message
    assert not [op for (svc, op) in aws.counter.calls if op in ("DeleteTable", "UpdateTable")]
    allowed = DynamoDbTableHandler(aws, HandlerOptions(disable_protection=frozenset({"dynamodb:table"})))
    assert allowed.delete(location, [table])[0].kind is OutcomeKind.PENDING
    assert seed("dynamodb").list_tables()["TableNames"] == []


def test_protection_turned_on_after_discovery_is_protected():
    # AWS's answer: a ValidationException naming deletion protection (which the table reads as failed)
    stub = StubbedClients("dynamodb")
    stub.error(
        "delete_table",
        "ValidationException",
        "Resource cannot be deleted as it is currently protected against deletion."
        " Disable deletion protection first.",
    )
    [result] = DynamoDbTableHandler(stub).delete(
        Location("1", "r"), [Resource("dynamodb:table", "t", "1", "r")]
    )
    assert result.kind is OutcomeKind.PROTECTED


def test_a_table_being_updated_is_not_yet():
    # moto deletes a table in any state; AWS answers ResourceInUseException while it is CREATING/UPDATING
    stub = StubbedClients("dynamodb")
    stub.error("delete_table", "ResourceInUseException", "Attempt to change a resource which is still in use")
    [result] = DynamoDbTableHandler(stub).delete(
        Location("1", "r"), [Resource("dynamodb:table", "t", "1", "r")]
    )
    assert result.kind is OutcomeKind.NOT_YET
