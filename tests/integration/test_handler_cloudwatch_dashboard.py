import json

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.cloudwatch_dashboard import CloudWatchDashboardHandler
from tests.integration.stubs import StubbedClients


def _body(metrics: int) -> str:
    rows = [["AWS/EC2", "CPUUtilization", "InstanceId", f"i-{n}"] for n in range(metrics)]
    return json.dumps(
        {"widgets": [{"type": "metric", "properties": {"metrics": rows, "region": "us-east-1"}}]}
    )


def test_discovers_prices_and_deletes_dashboards_in_batches(aws, location, seed):
    cloudwatch = seed("cloudwatch")
    for n in range(103):
        cloudwatch.put_dashboard(DashboardName=f"board-{n:03}", DashboardBody=_body(2))
    cloudwatch.put_dashboard(DashboardName="wall", DashboardBody=_body(60))
    handler = CloudWatchDashboardHandler(aws)

    found = {r.id: r for r in handler.discover(location, [])}
    assert len(found) == 104
    assert found["board-000"].attributes["metrics"] == 2 and found["wall"].attributes["metrics"] == 60
    [basic] = handler.usage(found["board-000"])
    [large] = handler.usage(found["wall"])
    assert (basic.usage_type, basic.unit, basic.quantity, basic.monthly) == (
        "DashboardsUsageHour-Basic",
        "Dashboards",
        1.0,
        True,
    )
    assert large.usage_type == "DashboardsUsageHour"
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert aws.counter.calls[("cloudwatch", "DeleteDashboards")] == 2  # 100 names per call
    assert handler.discover(location, []) == []


def test_a_batch_naming_a_vanished_dashboard_is_settled_one_by_one():
    # moto ignores unknown names; AWS fails the whole DeleteDashboards with ResourceNotFound
    stub = StubbedClients("cloudwatch")
    stub.error("delete_dashboards", "ResourceNotFound", "Dashboard gone does not exist")
    stub.reply("delete_dashboards", {}, {"DashboardNames": ["kept"]})
    stub.error("delete_dashboards", "ResourceNotFound", "Dashboard gone does not exist")
    boards = [Resource("cloudwatch:dashboard", name, "1", "us-east-1") for name in ("kept", "gone")]
    outcomes = CloudWatchDashboardHandler(stub).delete(Location("1", "us-east-1"), boards)
    assert [(o.resource_id, o.kind) for o in outcomes] == [
        ("kept", OutcomeKind.DONE),
        ("gone", OutcomeKind.GONE),
    ]
    stub.stubber.assert_no_pending_responses()


def test_discovery_reads_each_dashboards_tags():
    # moto's TagResource cannot tag dashboards (alarms only); AWS can, and ListTagsForResource reads them
    stub = StubbedClients("cloudwatch")
    arn = "arn:aws:cloudwatch::1:dashboard/ops"
    stub.reply("list_dashboards", {"DashboardEntries": [{"DashboardName": "ops", "DashboardArn": arn}]})
    stub.reply("list_tags_for_resource", {"Tags": [{"Key": "team", "Value": "ops"}]}, {"ResourceARN": arn})
    stub.reply("get_dashboard", {"DashboardName": "ops", "DashboardBody": _body(3)}, {"DashboardName": "ops"})
    [board] = CloudWatchDashboardHandler(stub).discover(Location("1", "global"), ["us-east-1"])
    assert board.tags == {"team": "ops"} and board.attributes == {"metrics": 3}


def test_the_bundled_book_prices_a_dashboard_account_wide():
    from costzero.domain.pricing import PriceKey
    from costzero.infrastructure.pricing.book_file import BUNDLED, read_book

    board = Resource("cloudwatch:dashboard", "ops", "1", "global", attributes={"metrics": 3})
    [usage] = CloudWatchDashboardHandler(StubbedClients("cloudwatch")).usage(board)
    key = PriceKey.of(usage.service, board.region, usage.usage_type, usage.unit)
    assert read_book(BUNDLED).price(key) == 3.0
