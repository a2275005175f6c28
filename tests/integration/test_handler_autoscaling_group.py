from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.autoscaling_group import AutoScalingGroupHandler
from tests.integration.park_fixtures import seed_group
from tests.integration.stubs import StubbedClients


def test_a_group_is_parked_and_restored_with_its_own_suspended_processes(aws, location, seed):
    seed_group(seed, "web", 2, 4, 6, ["AlarmNotification"])
    handler = AutoScalingGroupHandler(aws)
    [group] = handler.discover(location, [])
    original = group.attributes["settings"]
    assert original == {"min": 2, "desired": 4, "max": 6, "suspended": ["AlarmNotification"]}

    [stopped] = handler.stop(location, [group], {group.id: original})
    assert stopped.kind is OutcomeKind.DONE
    parked = handler.read(location, group)
    assert parked == {
        "min": 0,
        "desired": 0,
        "max": 6,
        "suspended": ["AZRebalance", "AlarmNotification", "Launch", "ScheduledActions"],
    }
    assert handler.looks_parked(parked)

    [started] = handler.start(location, [group], {group.id: original})
    assert started.kind is OutcomeKind.DONE
    assert handler.read(location, group) == original  # the user's own suspension stays


def test_a_group_is_force_deleted_with_its_instances_and_waited_for(aws, location, seed):
    seed_group(seed, "web", 2, 2, 4, [])
    handler = AutoScalingGroupHandler(aws)
    [group] = handler.discover(location, [])
    [deleted] = handler.delete(location, [group])
    assert deleted.kind is OutcomeKind.PENDING
    assert [o.kind for o in handler.confirm_gone(location, [group])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []
    # Auto Scaling says "gone" with a ValidationError ("AutoScalingGroup name not found")
    assert handler.delete(location, [group])[0].kind is OutcomeKind.GONE


def test_the_delete_asks_for_force_delete_and_a_group_still_deleting_is_pending():
    # moto deletes a group with instances even without ForceDelete; AWS refuses it (ResourceInUse):
    # the stub checks the parameter, and answers the "Delete in progress" AWS lists meanwhile
    stub = StubbedClients("autoscaling")
    stub.reply("delete_auto_scaling_group", {}, {"AutoScalingGroupName": "web", "ForceDelete": True})
    stub.reply(
        "describe_auto_scaling_groups",
        {
            "AutoScalingGroups": [
                {
                    "AutoScalingGroupName": "web",
                    "MinSize": 0,
                    "MaxSize": 4,
                    "DesiredCapacity": 0,
                    "DefaultCooldown": 300,
                    "AvailabilityZones": ["us-east-1a"],
                    "HealthCheckType": "EC2",
                    "CreatedTime": "2026-01-01T00:00:00Z",
                    "Status": "Delete in progress",
                }
            ]
        },
    )
    handler = AutoScalingGroupHandler(stub)
    group = Resource("autoscaling:group", "web", "1", "us-east-1")
    assert handler.delete(Location("1", "us-east-1"), [group])[0].kind is OutcomeKind.PENDING
    [waiting] = handler.confirm_gone(Location("1", "us-east-1"), [group])
    assert waiting.kind is OutcomeKind.PENDING and waiting.message == "Delete in progress"
    stub.stubber.assert_no_pending_responses()


def test_a_scaling_activity_in_progress_is_not_yet():
    stub = StubbedClients("autoscaling")
    stub.error("delete_auto_scaling_group", "ScalingActivityInProgress", "scaling activity in progress")
    [result] = AutoScalingGroupHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("autoscaling:group", "web", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
