from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.rds_db_instance import RdsDbInstanceHandler
from costzero.infrastructure.aws.handlers.rds_db_snapshot import RdsDbSnapshotHandler
from tests.integration.park_fixtures import create_postgres
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_manual_snapshots_only(aws, location, seed):
    rds = seed("rds")
    create_postgres(rds, "orders")
    rds.create_db_snapshot(
        DBInstanceIdentifier="orders",
        DBSnapshotIdentifier="before-upgrade",
        Tags=[{"Key": "team", "Value": "a"}],
    )
    handler = RdsDbSnapshotHandler(aws)
    [found] = handler.discover(location, [])  # the instance's automated snapshot is not listed
    assert (found.id, found.tags, found.attributes["allocated_gib"]) == ("before-upgrade", {"team": "a"}, 20)
    [usage] = handler.usage(found)
    assert (usage.usage_type, usage.unit, usage.quantity) == ("RDS:ChargedBackupUsage", "GB-Mo", 20.0)
    assert handler.delete(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.discover(location, []) == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE  # idempotent


def test_a_second_destroy_keeps_the_final_snapshot_of_the_first(aws, location, seed):
    rds = seed("rds")
    create_postgres(rds, "orders")
    instances = RdsDbInstanceHandler(aws)
    [db] = instances.discover(location, [])
    instances.delete(location, [db])
    instances.confirm_gone(location, [db])
    handler = RdsDbSnapshotHandler(aws)
    [final] = handler.discover(location, [])
    assert final.attributes["final_snapshot"] and final.tags == {"costzero:final-snapshot": "true"}
    [result] = handler.delete(location, [final])
    assert result.kind is OutcomeKind.PROTECTED and "--disable-protection rds:db-snapshot" in result.message
    assert handler.discover(location, []) == [final]  # no call deleted it, and nothing new appeared
    allowed = RdsDbSnapshotHandler(aws, HandlerOptions(disable_protection=frozenset({"rds:db-snapshot"})))
    assert allowed.delete(location, [final])[0].kind is OutcomeKind.DONE
    assert handler.discover(location, []) == []


def test_a_final_snapshot_is_recognised_by_its_name_if_tagging_failed():
    stub = StubbedClients("rds")
    stub.reply(
        "describe_db_snapshots",
        {"DBSnapshots": [{"DBSnapshotIdentifier": "costzero-final-orders-20261203020000", "TagList": []}]},
    )
    [found] = RdsDbSnapshotHandler(stub).discover(Location("1", "us-east-1"), [])
    assert found.attributes["final_snapshot"]


def test_a_snapshot_still_being_created_is_not_yet():
    # moto creates snapshots at once; AWS answers InvalidDBSnapshotState while one is "creating"
    stub = StubbedClients("rds")
    stub.error(
        "delete_db_snapshot", "InvalidDBSnapshotState", "Cannot delete the snapshot because it is creating"
    )
    [result] = RdsDbSnapshotHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("rds:db-snapshot", "s", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
