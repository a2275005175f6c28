"""Destroying alarms: composite alarms before the alarms their rules name."""

from costzero.domain.links import hold_back
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handlers.cloudwatch_alarm import CloudWatchAlarmHandler
from tests.integration.park_fixtures import seed_alarm, seed_table
from tests.integration.stubs import StubbedClients

ARN = "arn:aws:cloudwatch:us-east-1:1:alarm:"


def _discovered(metric: list[str], composites: dict[str, str]) -> list[Resource]:
    """Discovery over a stubbed DescribeAlarms: moto has no PutCompositeAlarm (composite alarms
    cannot be seeded there); tags are read per alarm (empty here)."""
    stub = StubbedClients("cloudwatch")
    stub.reply(
        "describe_alarms",
        {
            "MetricAlarms": [{"AlarmName": n, "AlarmArn": ARN + n, "Period": 60} for n in metric],
            "CompositeAlarms": [
                {"AlarmName": n, "AlarmArn": ARN + n, "AlarmRule": rule} for n, rule in composites.items()
            ],
        },
    )
    for _ in range(len(metric) + len(composites)):
        stub.reply("list_tags_for_resource", {"Tags": []})
    return CloudWatchAlarmHandler(stub).discover(Location("1", "us-east-1"), [])


def test_composites_are_linked_to_what_they_name_and_deleted_first(aws, location, seed):
    names = [f"cpu-{n:03}" for n in range(101)]
    for name in names:
        seed_alarm(seed, name, enabled=True)
    composites = {
        "service-down": 'ALARM("cpu-000") OR ALARM(cpu-001)',
        "page-oncall": f"ALARM(service-down) AND NOT OK({ARN}cpu-002)",
    }
    found = {a.id: a for a in _discovered(names, composites)}
    assert len(found) == 103
    assert found["cpu-000"].links == (Link("cloudwatch:alarm", "service-down", "named by composite alarm"),)
    assert found["service-down"].links == (
        Link("cloudwatch:alarm", "page-oncall", "named by composite alarm"),
    )
    assert found["cpu-002"].links[0].id == "page-oncall" and found["cpu-050"].links == ()
    assert found["page-oncall"].attributes["composite"] is True
    assert found["page-oncall"].attributes["references"] == ["cpu-002", "service-down"]

    # the deletes against moto, which holds the metric alarms only: composites are settled as gone
    handler = CloudWatchAlarmHandler(aws)
    metric_only = {k: v for k, v in found.items() if k not in composites}
    outcomes = handler.delete(location, list(metric_only.values()))
    assert {o.kind for o in outcomes} == {OutcomeKind.DONE} and len(outcomes) == 101
    assert aws.counter.calls[("cloudwatch", "DeleteAlarms")] == 2  # 100 names per call
    assert handler.discover(location, []) == []
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.GONE}


def test_deletes_go_in_rounds_one_composite_per_call():
    stub = StubbedClients("cloudwatch")
    found = _discovered(["cpu", "mem"], {"low": "ALARM(cpu)", "top": "ALARM(low) OR ALARM(mem)"})
    stub.reply(
        "describe_alarms",
        {
            "MetricAlarms": [{"AlarmName": "cpu"}, {"AlarmName": "mem"}],
            "CompositeAlarms": [{"AlarmName": "low"}, {"AlarmName": "top"}],
        },
    )
    stub.reply("delete_alarms", {}, {"AlarmNames": ["top"]})
    stub.reply("delete_alarms", {}, {"AlarmNames": ["low"]})
    stub.reply("delete_alarms", {}, {"AlarmNames": ["mem"]})
    stub.reply("delete_alarms", {}, {"AlarmNames": ["cpu"]})
    outcomes = CloudWatchAlarmHandler(stub).delete(Location("1", "us-east-1"), found)
    assert [o.resource_id for o in outcomes] == ["top", "low", "mem", "cpu"]
    assert {o.kind for o in outcomes} == {OutcomeKind.DONE}
    stub.stubber.assert_no_pending_responses()


def test_a_kept_composite_holds_back_the_alarms_it_names():
    found = {a.id: a for a in _discovered(["cpu"], {"service-down": "ALARM(cpu)"})}
    free, blocked = hold_back([found["cpu"]], {found["service-down"].ref: "keep tag"}, ["cloudwatch:alarm"])
    assert free == [] and "named by composite alarm service-down, which is kept" in blocked[0].reason


def test_target_tracking_alarms_are_held_back_for_their_scaling_policy(aws, location, seed):
    seed_table(seed, "orders")  # four alarms owned by Application Auto Scaling target tracking
    alarms = CloudWatchAlarmHandler(aws).discover(location, [])
    assert len(alarms) == 4
    free, blocked = hold_back(alarms, {}, ["cloudwatch:alarm"])
    assert free == [] and all("managed by arn:aws:autoscaling:" in b.reason for b in blocked)


def _alarm(name: str, **attributes) -> Resource:
    return Resource("cloudwatch:alarm", name, "1", "us-east-1", attributes=attributes)


def _described(*names: str) -> dict:
    return {"MetricAlarms": [{"AlarmName": n} for n in names], "CompositeAlarms": []}


def test_an_alarm_a_composite_outside_the_run_names_is_not_yet_and_the_rest_go():
    # moto deletes an alarm a composite still names; AWS refuses the whole call with ValidationError
    stub = StubbedClients("cloudwatch")
    stub.reply("describe_alarms", _described("cpu", "mem"))
    stub.error(
        "delete_alarms",
        "ValidationError",
        "Cannot delete cpu as there are composite alarm(s) depending on it.",
        {"AlarmNames": ["cpu", "mem"]},
    )
    stub.reply("delete_alarms", {}, {"AlarmNames": ["mem"]})
    outcomes = CloudWatchAlarmHandler(stub).delete(Location("1", "us-east-1"), [_alarm("cpu"), _alarm("mem")])
    assert {o.resource_id: o.kind for o in outcomes} == {"cpu": OutcomeKind.NOT_YET, "mem": OutcomeKind.DONE}
    stub.stubber.assert_no_pending_responses()


def test_what_a_composite_left_standing_names_waits_without_a_call():
    stub = StubbedClients("cloudwatch")
    stub.reply("describe_alarms", _described("top", "cpu"))
    stub.error("delete_alarms", "AccessDenied", "not allowed", {"AlarmNames": ["top"]})
    alarms = [_alarm("top", composite=True, references=["cpu"]), _alarm("cpu")]
    outcomes = {
        o.resource_id: o for o in CloudWatchAlarmHandler(stub).delete(Location("1", "us-east-1"), alarms)
    }
    assert outcomes["top"].kind is OutcomeKind.DENIED and "cloudwatch:DeleteAlarms" in outcomes["top"].message
    assert outcomes["cpu"].kind is OutcomeKind.NOT_YET
    stub.stubber.assert_no_pending_responses()


def test_composites_naming_each_other_in_a_cycle_fail_without_a_call():
    stub = StubbedClients("cloudwatch")
    stub.reply("describe_alarms", _described("a", "b"))
    alarms = [_alarm("a", composite=True, references=["b"]), _alarm("b", composite=True, references=["a"])]
    outcomes = CloudWatchAlarmHandler(stub).delete(Location("1", "us-east-1"), alarms)
    assert {o.kind for o in outcomes} == {OutcomeKind.FAILED} and "cycle" in outcomes[0].message
    stub.stubber.assert_no_pending_responses()
