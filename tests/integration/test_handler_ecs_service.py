from costzero.infrastructure.aws.handlers.ecs_service import EcsServiceHandler
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


def test_discovery_reads_the_launch_type_and_a_fargate_task_definitions_size_once(aws, location, seed):
    ecs = seed("ecs")
    ecs.create_cluster(clusterName="apps")
    ecs.register_task_definition(
        family="api",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="512",
        memory="1024",
        runtimePlatform={"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        containerDefinitions=[{"name": "api", "image": "nginx"}],
    )
    ecs.register_task_definition(
        family="ec2", containerDefinitions=[{"name": "w", "image": "nginx", "memory": 128}]
    )
    for name in ("api", "api-2"):
        ecs.create_service(
            cluster="apps", serviceName=name, taskDefinition="api", desiredCount=2, launchType="FARGATE"
        )
    ecs.create_service(cluster="apps", serviceName="legacy", taskDefinition="ec2", desiredCount=1)
    handler = EcsServiceHandler(aws)
    found = {r.name: r for r in handler.discover(location, [])}
    assert found["api"].attributes["launch"] == "FARGATE"
    assert found["api"].attributes["task"] == {
        "cpu_units": 512,
        "memory_mib": 1024,
        "architecture": "ARM64",
        "os": "LINUX",
        "ephemeral_gib": None,
    }
    assert aws.counter.calls[("ecs", "DescribeTaskDefinition")] == 1  # shared by both services
    assert [(u.usage_type, u.quantity) for u in handler.usage(found["api"])] == [
        ("Fargate-ARM-vCPU-Hours:perCPU", 1.0),
        ("Fargate-ARM-GB-Hours", 2.0),
    ]
    assert found["legacy"].attributes["launch"] == "EC2" and handler.usage(found["legacy"]) == ()
