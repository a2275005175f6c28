"""Global tables (version 2019.11.21): replicas in other regions.

moto has no global tables (DescribeTable never lists `Replicas`). Each replica is a table of its
own region, so the scenario is one table of the same name per region on the moto server, and
AWS's DescribeTable answer is injected: the tables' `Replicas` and `GlobalTableVersion` are added
to moto's, by a client wrapper (`InjectedReplicas`), which also records the order of the deletes.
"""

from __future__ import annotations

from typing import Any

import pytest

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handlers.dynamodb_table import DynamoDbTableHandler
from costzero.presentation.sdk import CostZero
from tests.integration.conftest import OTHER_REGION, REGION
from tests.integration.stubs import StubbedClients

WAIT = {"budget_seconds": 60, "first_delay": 0.01, "max_delay": 0.05}


class InjectedReplicas:
    """The moto server's clients, with DynamoDB's DescribeTable naming each table's replicas."""

    def __init__(self, clients: Any, replicas: dict[str, list[str]]) -> None:
        self.clients = clients
        self.replicas = replicas  # table name -> the regions of its replicas
        self.deleted: list[tuple[str, str]] = []  # (region, table), in order

    def client(self, account: str, region: str, service: str) -> Any:
        real = self.clients.client(account, region, service)
        return _Replicated(real, region, self) if service == "dynamodb" else real


class _Replicated:
    def __init__(self, real: Any, region: str, owner: InjectedReplicas) -> None:
        self.real, self.region, self.owner = real, region, owner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def describe_table(self, **kwargs: Any) -> Any:
        answer = self.real.describe_table(**kwargs)
        regions = self.owner.replicas.get(kwargs["TableName"], [])
        others = [r for r in regions if r != self.region]
        if others:
            replicas = [{"RegionName": r, "ReplicaStatus": "ACTIVE"} for r in others]
            answer["Table"] = {**answer["Table"], "GlobalTableVersion": "2019.11.21", "Replicas": replicas}
        return answer

    def delete_table(self, **kwargs: Any) -> Any:
        self.owner.deleted.append((self.region, kwargs["TableName"]))
        return self.real.delete_table(**kwargs)


def _table(seed, name, region=REGION):
    seed("dynamodb", region).create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )


def _tables(seed, region):
    return seed("dynamodb", region).list_tables()["TableNames"]


@pytest.fixture
def global_orders(aws, seed):
    """The global table "orders", with replicas in us-east-1 and eu-west-1, and "plain", a table of
    us-east-1 alone."""
    _table(seed, "orders", REGION)
    _table(seed, "orders", OTHER_REGION)
    _table(seed, "plain", REGION)
    return InjectedReplicas(aws, {"orders": [REGION, OTHER_REGION]})


def _sdk(moto_server, tmp_path, clients, regions):
    sdk = CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=regions,
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        wait=WAIT,
    )
    handlers = sdk._container.handlers()
    handlers["dynamodb:table"] = DynamoDbTableHandler(clients, handlers["dynamodb:table"].options)
    return sdk


def test_discovery_records_the_replicas_and_which_regions_are_not_selected(global_orders, account):
    handler = DynamoDbTableHandler(global_orders)
    alone = {r.id: r for r in handler.discover(Location(account, REGION), [REGION])}
    assert alone["orders"].attributes["replicas"] == [OTHER_REGION]
    assert alone["orders"].attributes["replicas_unselected"] == [OTHER_REGION]
    assert alone["orders"].attributes["global_table_version"] == "2019.11.21"
    assert alone["plain"].attributes["replicas"] == [] and alone["plain"].links == ()
    # both regions selected: eu-west-1's replica waits for us-east-1's (region order, last first)
    both = [REGION, OTHER_REGION]
    [first] = handler.discover(Location(account, OTHER_REGION), both)
    assert first.attributes["replicas_unselected"] == []
    assert first.links == (Link("dynamodb:table", "orders", f"replicated to {REGION} as", region=REGION),)
    last = {r.id: r for r in handler.discover(Location(account, REGION), both)}
    assert last["orders"].links == ()


def test_a_replica_in_a_region_not_selected_keeps_the_table_and_says_why(
    global_orders, moto_server, tmp_path, seed
):
    """Only us-east-1 is selected: deleting its replica would change the global table in
    eu-west-1, so it is BLOCKED without a call; the plain table beside it is deleted as ever."""
    with _sdk(moto_server, tmp_path, global_orders, [REGION]) as sdk:
        plan = sdk.plan(types=["dynamodb:table"], accounts=[sdk.whoami()])
        # known at discovery: planned as blocked, so a dry run already says so
        [(held, why)] = [(b.resource.id, b.reason) for b in plan.blocked]
        assert held == "orders" and why.startswith("global table with replicas in eu-west-1, not selected")
        result = sdk.destroy(plan, dry_run=False, yes=True)
    assert not result.ok and result.outcomes[OutcomeKind.BLOCKED] == 1
    assert global_orders.deleted == [(REGION, "plain")]
    assert _tables(seed, REGION) == ["orders"] and _tables(seed, OTHER_REGION) == ["orders"]


def test_the_blocked_answer_names_the_regions_not_selected(global_orders, account):
    handler = DynamoDbTableHandler(global_orders)
    location = Location(account, REGION)
    found = {r.id: r for r in handler.discover(location, [REGION])}
    [result] = handler.delete(location, [found["orders"]])
    assert result.kind is OutcomeKind.BLOCKED
    assert result.message == (
        "global table with replicas in eu-west-1, not selected: deleting this replica would change the"
        " global table there; select eu-west-1 too to delete every replica"
    )
    assert global_orders.deleted == []


def test_with_every_replica_region_selected_the_replicas_go_one_after_the_other(
    global_orders, moto_server, tmp_path, seed
):
    """Both regions selected: us-east-1's replica is deleted and confirmed gone before eu-west-1's
    (the link discovery gives it), and the plain table goes too."""
    with _sdk(moto_server, tmp_path, global_orders, [REGION, OTHER_REGION]) as sdk:
        plan = sdk.plan(types=["dynamodb:table"], accounts=[sdk.whoami()])
        result = sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok, result.task_reasons
    orders = [region for region, table in global_orders.deleted if table == "orders"]
    assert orders == [REGION, OTHER_REGION]
    assert _tables(seed, REGION) == [] and _tables(seed, OTHER_REGION) == []


def test_a_replica_aws_keeps_for_a_day_after_it_seeded_a_new_one_is_blocked():
    """AWS refuses for 24 hours to delete a replica that was the source of a new replica (a
    ValidationException, given with Stubber: moto has no replicas): BLOCKED, not a failure or an
    endless "not yet"."""
    stub = StubbedClients("dynamodb")
    stub.error(
        "delete_table",
        "ValidationException",
        "Replica cannot be deleted because it has acted as a source region for new replica(s) being"
        " added to the table in the last 24 hours.",
    )
    [result] = DynamoDbTableHandler(stub).delete(
        Location("1", "r"), [Resource("dynamodb:table", "t", "1", "r")]
    )
    assert result.kind is OutcomeKind.BLOCKED and "run destroy again later" in result.message
