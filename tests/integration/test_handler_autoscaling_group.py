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


def test_groups_an_environment_or_a_node_group_made_link_to_it_and_are_not_parked_alone(aws, location, seed):
    seed_group(seed, "plain", 1, 1, 1, [])
    seed_group(seed, "eks-ng-1", 1, 1, 1, [])
    seed_group(seed, "awseb-e-abc123-stack", 1, 1, 1, [])
    owner_tags = {
        "eks-ng-1": {"eks:cluster-name": "prod", "eks:nodegroup-name": "ng-1"},
        "awseb-e-abc123-stack": {"elasticbeanstalk:environment-id": "e-abc123"},
    }
    seed("autoscaling").create_or_update_tags(
        Tags=[
            {
                "ResourceId": group,
                "ResourceType": "auto-scaling-group",
                "Key": key,
                "Value": value,
                "PropagateAtLaunch": True,
            }
            for group, tags in owner_tags.items()
            for key, value in tags.items()
        ]
    )
    handler = AutoScalingGroupHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert found["plain"].links == () and handler.unparkable(found["plain"]) is None
    assert [(k.type_key, k.id) for k in found["eks-ng-1"].links] == [("eks:nodegroup", "prod/ng-1")]
    assert "park the node group" in handler.unparkable(found["eks-ng-1"])
    [environment] = found["awseb-e-abc123-stack"].links
    assert (environment.type_key, environment.id) == ("elasticbeanstalk:environment", "e-abc123")
    assert "Elastic Beanstalk" in handler.unparkable(found["awseb-e-abc123-stack"])
