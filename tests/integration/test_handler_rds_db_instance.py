from tests.integration.conftest import round_trip


def test_instances_stop_and_start_and_status_warns_about_the_seven_days(park_sdk, seed):
    rds = seed("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="app",
        MasterUserPassword="secret-123",
    )
    park_sdk.stop(types=["rds:db-instance"], accounts=[park_sdk.whoami()], dry_run=False, yes=True)
    [row] = park_sdk.status(types=["rds:db-instance"])
    assert row["state"].startswith("parked since")
    assert "AWS restarts it on" in row["warning"]
    park_sdk.start(types=["rds:db-instance"], dry_run=False)

    before, parked, after = round_trip(park_sdk, "rds:db-instance")
    assert before == {"orders": {"status": "available"}}
    assert parked == {"orders": {"status": "stopped"}}
    assert after == before
