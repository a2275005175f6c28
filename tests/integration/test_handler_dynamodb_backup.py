from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.dynamodb_backup import DynamoDbBackupHandler
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_on_demand_backups(aws, location, seed):
    dynamodb = seed("dynamodb")
    dynamodb.create_table(
        TableName="events",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    arn = dynamodb.create_backup(TableName="events", BackupName="nightly")["BackupDetails"]["BackupArn"]
    handler = DynamoDbBackupHandler(aws)
    [found] = handler.discover(location, [])
    assert (found.id, found.name, found.attributes["table"]) == (arn, "nightly", "events")
    [usage] = handler.usage(found)
    assert (usage.usage_type, usage.unit, usage.monthly) == ("TimedBackupStorage-ByteHrs", "GB-Mo", True)
    assert handler.delete(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.discover(location, []) == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE  # BackupNotFoundException


ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/events/backup/"


def test_only_user_backups_are_asked_for_and_kept():
    stub = StubbedClients("dynamodb")
    summaries = [
        {"BackupArn": ARN + "01", "BackupName": "mine", "BackupType": "USER", "BackupStatus": "AVAILABLE"},
        {
            "BackupArn": ARN + "02",
            "BackupName": "vault",
            "BackupType": "AWS_BACKUP",
            "BackupStatus": "AVAILABLE",
        },
    ]
    stub.reply("list_backups", {"BackupSummaries": summaries}, {"BackupType": "USER"})
    assert [r.name for r in DynamoDbBackupHandler(stub).discover(Location("1", "us-east-1"), [])] == ["mine"]


def test_a_backup_being_created_is_not_yet():
    # moto makes backups at once; AWS answers BackupInUseException while one is CREATING
    stub = StubbedClients("dynamodb")
    stub.error("delete_backup", "BackupInUseException", "Backup is being created")
    [result] = DynamoDbBackupHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("dynamodb:backup", ARN + "01", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
