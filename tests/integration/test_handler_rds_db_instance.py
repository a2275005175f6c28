from costzero.domain.resources import Resource
from costzero.infrastructure.aws.handlers.rds_db_instance import RdsDbInstanceHandler
from tests.integration.conftest import round_trip
from tests.integration.park_fixtures import create_postgres


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
