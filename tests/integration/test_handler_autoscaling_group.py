from costzero.domain.outcomes import OutcomeKind
from costzero.infrastructure.aws.handlers.autoscaling_group import AutoScalingGroupHandler
from tests.integration.park_fixtures import seed_group


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
