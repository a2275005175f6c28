from tests.integration.conftest import round_trip


def test_services_go_to_zero_and_back_to_their_desired_counts(park_sdk, seed):
    ecs = seed("ecs")
    ecs.create_cluster(clusterName="apps")
    ecs.register_task_definition(
        family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
    )
    for name, count in (("web", 3), ("worker", 1)):
        ecs.create_service(cluster="apps", serviceName=name, taskDefinition="web", desiredCount=count)
    before, parked, after = round_trip(park_sdk, "ecs:service")
    assert sorted(s["desired"] for s in before.values()) == [1, 3]
    assert {s["desired"] for s in parked.values()} == {0}
    assert after == before
