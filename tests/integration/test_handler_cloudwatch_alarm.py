from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Resource
from costzero.infrastructure.aws.handlers.cloudwatch_alarm import CloudWatchAlarmHandler
from tests.integration.park_fixtures import seed_alarm, seed_table


def test_alarm_actions_are_disabled_in_batches_and_enabled_back(aws, location, seed):
    for n in range(105):
        seed_alarm(seed, f"cpu-{n:03}", enabled=True)
    handler = CloudWatchAlarmHandler(aws)
    alarms = handler.discover(location, [])
    assert len(alarms) == 105
    saved = {a.id: a.attributes["settings"] for a in alarms}
    assert {o.kind for o in handler.stop(location, alarms, saved)} == {OutcomeKind.DONE}
    assert aws.counter.calls[("cloudwatch", "DisableAlarmActions")] == 2  # 100 per call
    assert handler.read(location, alarms[0]) == {"actions_enabled": False}
    assert {o.kind for o in handler.start(location, alarms, saved)} == {OutcomeKind.DONE}
    assert all(handler.read(location, a) == {"actions_enabled": True} for a in alarms[:3])


def test_verification_reads_alarms_100_names_per_call(aws, location, seed):
    for n in range(105):
        seed_alarm(seed, f"mem-{n:03}", enabled=n % 2 == 0)
    handler = CloudWatchAlarmHandler(aws)
    alarms = handler.discover(location, [])
    gone = Resource("cloudwatch:alarm", "deleted-alarm", location.account, location.region)
    before = aws.counter.calls[("cloudwatch", "DescribeAlarms")]
    states = handler.read_many(location, [*alarms, gone])
    assert aws.counter.calls[("cloudwatch", "DescribeAlarms")] - before == 2
    assert states["deleted-alarm"] is None
    assert sum(1 for s in states.values() if s == {"actions_enabled": True}) == 53


def test_target_tracking_alarms_are_left_to_their_scaling_policy(park_sdk, seed):
    # Found by the generated parking test: a DynamoDB table with target tracking has four alarms
    # that Application Auto Scaling owns ("TargetTracking-table/..."). Parking disabled them, parking
    # the table deleted its policy (AWS deletes those alarms with it) and start recreated the policy
    # with four new alarms: the old ones could never be restored.
    seed_table(seed, "orders")
    seed_alarm(seed, "cpu-high", enabled=True)
    plan = park_sdk.plan_stop(types=["cloudwatch:alarm"])
    assert [i.resource.id for i in plan.reports] == ["cpu-high"]
    assert len(plan.kept) == 4
    assert all(k.reason.startswith("managed by target tracking policy arn:aws:") for k in plan.kept)

    stopped = park_sdk.stop(types=["cloudwatch:alarm"], accounts=[park_sdk.whoami()], dry_run=False, yes=True)
    assert stopped.ok and stopped.outcomes == {"parked": 1, "kept": 4}, stopped.outcomes
    alarms = seed("cloudwatch").describe_alarms(AlarmNamePrefix="TargetTracking-")["MetricAlarms"]
    assert len(alarms) == 4 and all(a["ActionsEnabled"] for a in alarms)


def test_discovery_records_what_each_alarm_is_billed_for(aws, location, seed):
    seed_alarm(seed, "cpu-high", enabled=True)
    cloudwatch = seed("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="errors-ratio",
        EvaluationPeriods=1,
        Threshold=5.0,
        ComparisonOperator="GreaterThanThreshold",
        Metrics=[
            {"Id": "ratio", "Expression": "100 * errors / requests", "ReturnData": True},
            *(
                {
                    "Id": name,
                    "MetricStat": {
                        "Metric": {"Namespace": "AWS/ApplicationELB", "MetricName": metric},
                        "Period": 10,
                        "Stat": "Sum",
                    },
                    "ReturnData": False,
                }
                for name, metric in (("errors", "HTTPCode_Target_5XX_Count"), ("requests", "RequestCount"))
            ),
        ],
    )
    handler = CloudWatchAlarmHandler(aws)
    found = {a.id: a for a in handler.discover(location, [])}
    assert found["cpu-high"].attributes["pricing"] == {"metrics": 1, "high_resolution": False}
    assert found["errors-ratio"].attributes["pricing"] == {"metrics": 2, "high_resolution": True}
    [usage] = handler.usage(found["errors-ratio"])
    assert (usage.usage_type, usage.quantity, usage.monthly) == ("CW:HighResAlarmMonitorUsage", 2.0, True)
