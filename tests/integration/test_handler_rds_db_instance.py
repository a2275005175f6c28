from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.rds_db_instance import RdsDbInstanceHandler
from tests.integration.conftest import round_trip
from tests.integration.park_fixtures import create_postgres
from tests.integration.stubs import StubbedClients


def test_instances_stop_and_start_and_status_warns_about_the_seven_days(park_sdk, seed):
    rds = seed("rds")
    create_postgres(rds, "orders")
    park_sdk.stop(types=["rds:db-instance"], accounts=[park_sdk.whoami()], dry_run=False, yes=True)
    [row] = park_sdk.status(types=["rds:db-instance"])
    assert row["state"].startswith("parked since")
    assert "AWS restarts it on" in row["warning"]
    park_sdk.start(types=["rds:db-instance"], dry_run=False)

    before, parked, after = round_trip(park_sdk, "rds:db-instance")
    assert before == {"orders": {"status": "available"}}
    assert parked == {"orders": {"status": "stopped"}}
    assert after == before


def test_stop_again_re_stops_an_instance_aws_restarted_and_keeps_the_first_snapshot(park_sdk, seed):
    rds = seed("rds")
    create_postgres(rds, "billing")
    account = park_sdk.whoami()
    park_sdk.stop(types=["rds:db-instance"], accounts=[account], dry_run=False, yes=True)
    first = park_sdk.export_state()
    rds.start_db_instance(DBInstanceIdentifier="billing")  # what AWS does after 7 days
    [row] = park_sdk.status(types=["rds:db-instance"])
    assert row["state"] == "running again" and "`stop` parks it again" in row["warning"]

    again = park_sdk.stop(types=["rds:db-instance"], accounts=[account], dry_run=False, yes=True)

    assert again.ok and again.outcomes.get("parked") == 1
    status = rds.describe_db_instances(DBInstanceIdentifier="billing")["DBInstances"][0]
    assert status["DBInstanceStatus"] == "stopped"
    [row] = park_sdk.status(types=["rds:db-instance"])
    assert row["state"].startswith("parked since")
    assert _snapshots(park_sdk.export_state()) == _snapshots(first)  # not overwritten, not doubled
    assert park_sdk.start(types=["rds:db-instance"], dry_run=False).outcomes == {"restored": 1}


def _snapshots(state):
    return [
        (s["id"], s["settings"], s["run_id"], s["taken_at"])
        for entries in state["resources"].values()
        for s in entries
    ]


def test_discovery_records_what_an_instance_is_billed_for(aws, location, seed):
    rds = seed("rds")
    create_postgres(rds, "orders")
    rds.create_db_instance(
        DBInstanceIdentifier="shop",
        Engine="mysql",
        DBInstanceClass="db.m5.large",
        AllocatedStorage=100,
        StorageType="io1",
        Iops=1000,
        MultiAZ=True,
        MasterUsername="app",
        MasterUserPassword="secret-123",
    )
    found = {r.id: r.attributes for r in RdsDbInstanceHandler(aws).discover(location, [])}
    assert found["orders"]["engine"] == "postgres" and found["orders"]["instance_class"] == "db.t3.micro"
    assert found["orders"]["multi_az"] is False and found["orders"]["storage"]["gib"] == 20
    shop = found["shop"]
    assert (shop["multi_az"], shop["storage"]["type"], shop["storage"]["iops"]) == (True, "io1", 1000)
    usages = RdsDbInstanceHandler(aws).usage(
        Resource("rds:db-instance", "shop", "1", "us-east-1", attributes=shop)
    )
    assert [u.usage_type for u in usages] == [
        "Multi-AZUsage:db.m5.large@mysql",
        "RDS:Multi-AZ-PIOPS-Storage",
        "RDS:Multi-AZ-PIOPS",
    ]


# -- destroy -------------------------------------------------------------------------------------


def test_delete_keeps_a_tagged_final_snapshot_and_waits_until_gone(aws, location, seed):
    rds = seed("rds")
    create_postgres(rds, "orders")
    handler = RdsDbInstanceHandler(aws)
    [db] = handler.discover(location, [])
    [result] = handler.delete(location, [db])
    assert result.kind is OutcomeKind.PENDING and "final snapshot costzero-final-orders-" in result.message
    assert [o.kind for o in handler.confirm_gone(location, [db])] == [OutcomeKind.DONE]
    assert rds.describe_db_instances()["DBInstances"] == []
    [snapshot] = rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]
    assert snapshot["DBSnapshotIdentifier"].startswith("costzero-final-orders-")
    tags = rds.list_tags_for_resource(ResourceName=snapshot["DBSnapshotArn"])["TagList"]
    assert {"Key": "costzero:final-snapshot", "Value": "true"} in tags
    assert handler.delete(location, [db])[0].kind is OutcomeKind.GONE  # idempotent


def test_skip_final_snapshot_is_an_explicit_option(aws, location, seed):
    rds = seed("rds")
    create_postgres(rds, "scratch")
    handler = RdsDbInstanceHandler(aws, HandlerOptions(skip_final_snapshot=True))
    [db] = handler.discover(location, [])
    assert "no final snapshot" in handler.delete(location, [db])[0].message
    assert rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"] == []


def _protected(rds, name):
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="app",
        MasterUserPassword="secret-123",
        DeletionProtection=True,
    )


def test_a_protected_instance_is_left_without_a_mutating_call(aws, location, seed):
    rds = seed("rds")
    _protected(rds, "vault")
    handler = RdsDbInstanceHandler(aws)
    [db] = handler.discover(location, [])
    [result] = handler.delete(location, [db])
    assert result.kind is OutcomeKind.PROTECTED and "--disable-protection rds:db-instance" in result.message
    assert not [
        op for (svc, op) in aws.counter.calls if svc == "rds" and not op.startswith(("Describe", "List"))
    ]
    assert rds.describe_db_instances()["DBInstances"][0]["DBInstanceIdentifier"] == "vault"


def test_disable_protection_turns_it_off_then_deletes(aws, location, seed):
    rds = seed("rds")
    _protected(rds, "vault")
    handler = RdsDbInstanceHandler(aws, HandlerOptions(disable_protection=frozenset({"rds:db-instance"})))
    [db] = handler.discover(location, [])
    assert handler.delete(location, [db])[0].kind is OutcomeKind.PENDING
    assert rds.describe_db_instances()["DBInstances"] == []


def test_protection_turned_on_after_discovery_is_protected_not_retried():
    # real AWS (and moto) refuse with InvalidParameterCombination, which the table reads as "not yet"
    stub = StubbedClients("rds")
    stub.error(
        "delete_db_instance",
        "InvalidParameterCombination",
        "Cannot delete protected DB Instance, please disable deletion protection and try again.",
    )
    db = Resource("rds:db-instance", "vault", "1", "us-east-1", attributes={"engine": "postgres"})
    [result] = RdsDbInstanceHandler(stub).delete(Location("1", "us-east-1"), [db])
    assert result.kind is OutcomeKind.PROTECTED


def test_an_instance_already_being_deleted_is_pending():
    # AWS answers a second DeleteDBInstance with InvalidDBInstanceState; moto just deletes
    stub = StubbedClients("rds")
    stub.error("delete_db_instance", "InvalidDBInstanceState", "Instance vault is already being deleted.")
    db = Resource("rds:db-instance", "vault", "1", "us-east-1", attributes={"engine": "postgres"})
    assert RdsDbInstanceHandler(stub).delete(Location("1", "us-east-1"), [db])[0].kind is OutcomeKind.PENDING


def test_the_last_instance_of_a_global_databases_primary_is_blocked_not_retried():
    """moto deletes it; AWS refuses while the cluster is the primary of a global database, and
    nothing the run does changes that (global databases are kept): blocked, with the way out."""
    stub = StubbedClients("rds")
    stub.error(
        "delete_db_instance",
        "InvalidDBClusterStateFault",
        "Cannot delete the last instance of the master cluster. Delete the replica cluster before deleting"
        " the last instance of the master cluster.",
    )
    db = Resource(
        "rds:db-instance",
        "ledger-1",
        "1",
        "us-east-1",
        attributes={"engine": "aurora-postgresql", "cluster": "ledger"},
    )
    [result] = RdsDbInstanceHandler(stub).delete(Location("1", "us-east-1"), [db])
    assert result.kind is OutcomeKind.BLOCKED and "delete the global database first" in result.message


def test_aurora_members_are_deleted_without_a_snapshot_and_multi_az_cluster_members_with_their_cluster():
    stub = StubbedClients("rds")
    stub.reply(
        "delete_db_instance",
        {"DBInstance": {"DBInstanceIdentifier": "ledger-1"}},
        {"DBInstanceIdentifier": "ledger-1", "SkipFinalSnapshot": True},
    )
    aurora = Resource(
        "rds:db-instance",
        "ledger-1",
        "1",
        "r",
        attributes={"engine": "aurora-postgresql", "cluster": "ledger"},
    )
    taz = Resource("rds:db-instance", "maz-1", "1", "r", attributes={"engine": "postgres", "cluster": "maz"})
    stub.reply("describe_db_instances", {"DBInstances": [{"DBInstanceIdentifier": "maz-1"}]})
    stub.error("describe_db_instances", "DBInstanceNotFound", "DBInstance maz-1 not found.")
    outcomes = RdsDbInstanceHandler(stub).delete(Location("1", "r"), [aurora, taz])
    assert [o.kind for o in outcomes] == [OutcomeKind.PENDING, OutcomeKind.NOT_YET]
    assert "with its Multi-AZ DB cluster maz" in outcomes[1].message and outcomes[1].blockers == ("maz",)
    assert RdsDbInstanceHandler(stub).delete(Location("1", "r"), [taz])[0].kind is OutcomeKind.GONE
    stub.stubber.assert_no_pending_responses()


def test_an_instance_still_deleting_is_pending():
    stub = StubbedClients("rds")
    stub.reply(
        "describe_db_instances",
        {"DBInstances": [{"DBInstanceIdentifier": "a", "DBInstanceStatus": "deleting"}]},
    )
    [result] = RdsDbInstanceHandler(stub).confirm_gone(
        Location("1", "r"), [Resource("rds:db-instance", "a", "1", "r")]
    )
    assert result.kind is OutcomeKind.PENDING
