from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ecs_service import EcsServiceHandler
from tests.integration.conftest import round_trip
from tests.integration.stubs import StubbedClients


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


def test_services_are_scaled_to_zero_deleted_with_force_and_confirmed(aws, location, seed):
    ecs = seed("ecs")
    ecs.create_cluster(clusterName="apps")
    ecs.register_task_definition(
        family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}]
    )
    ecs.create_service(cluster="apps", serviceName="web", taskDefinition="web", desiredCount=2)
    handler = EcsServiceHandler(aws)
    [found] = handler.discover(location, [])
    assert handler.delete(location, [found])[0].kind is OutcomeKind.PENDING
    assert aws.counter.calls[("ecs", "UpdateService")] == 1  # to desired count 0 first
    assert handler.confirm_gone(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.discover(location, []) == []
    # moto updates and deletes an INACTIVE service again; the outcome still settles as gone
    assert handler.delete(location, [found])[0].kind in (OutcomeKind.GONE, OutcomeKind.PENDING)
    assert handler.confirm_gone(location, [found])[0].kind is OutcomeKind.DONE


def test_a_service_already_deleted_is_gone():
    # moto updates an INACTIVE service; AWS answers ServiceNotActiveException
    stub = StubbedClients("ecs")
    stub.error("update_service", "ServiceNotActiveException", "Service was not ACTIVE.")
    arn = "arn:aws:ecs:us-east-1:1:service/apps/web"
    [result] = EcsServiceHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("ecs:service", arn, "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.GONE


def test_a_draining_service_is_pending():
    # moto makes a deleted service INACTIVE at once; AWS keeps it DRAINING while its tasks stop
    stub = StubbedClients("ecs")
    arn = "arn:aws:ecs:us-east-1:1:service/apps/web"
    stub.reply("describe_services", {"services": [{"serviceArn": arn, "status": "DRAINING"}]})
    [result] = EcsServiceHandler(stub).confirm_gone(
        Location("1", "us-east-1"),
        [Resource("ecs:service", arn, "1", "us-east-1", attributes={"cluster": "apps"})],
    )
    assert result.kind is OutcomeKind.PENDING and result.message == "DRAINING"
