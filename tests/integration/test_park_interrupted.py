"""A stop interrupted (Ctrl-C: the SDK's interrupt) ends as interrupted; running it again finishes."""

from __future__ import annotations

from tests.integration.park_fixtures import seed_instances
from tests.integration.test_handler_rds_db_instance import create_postgres


def test_an_interrupted_stop_starts_nothing_new_and_the_next_stop_finishes(park_sdk, seed):
    seed_instances(seed, 2)
    create_postgres(seed("rds"), "orders")  # stopped after the instances that may use it
    account = park_sdk.whoami()
    handler = park_sdk._container.handlers()["ec2:instance"]
    original = handler.stop

    def interrupted_during(location, resources, saved):
        park_sdk.interrupt()  # as the first Ctrl-C does, while this call is in flight
        return original(location, resources, saved)

    handler.stop = interrupted_during
    first = park_sdk.stop(
        types=["ec2:instance", "rds:db-instance"], accounts=[account], dry_run=False, yes=True
    )
    assert first.interrupted and first.status == "interrupted" and not first.ok
    assert park_sdk.run(first.run_id)["status"] == "interrupted"
    assert seed("rds").describe_db_instances()["DBInstances"][0]["DBInstanceStatus"] == "available"

    handler.stop = original
    second = park_sdk.stop(
        types=["ec2:instance", "rds:db-instance"], accounts=[account], dry_run=False, yes=True
    )
    assert second.ok, second.task_reasons
    assert seed("rds").describe_db_instances()["DBInstances"][0]["DBInstanceStatus"] == "stopped"
    states = {
        i["State"]["Name"] for r in seed("ec2").describe_instances()["Reservations"] for i in r["Instances"]
    }
    assert states == {"stopped"}
