from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ecs_task import EcsTaskHandler
from tests.integration.elb_fixtures import subnets
from tests.integration.stubs import StubbedClients


def seed_tasks(seed, tags=None):
    """One standalone Fargate task and one service (whose tasks are the service's)."""
    ecs = seed("ecs")
    ecs.create_cluster(clusterName="jobs")
    ecs.register_task_definition(
        family="batch",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="1024",
        memory="2048",
        containerDefinitions=[{"name": "batch", "image": "busybox", "memory": 2048, "cpu": 1024}],
    )
    group = seed("ec2").describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["GroupId"]
    network = {"awsvpcConfiguration": {"subnets": subnets(seed)[:1], "securityGroups": [group]}}
    extra = {"tags": [{"key": k, "value": v} for k, v in tags.items()]} if tags else {}
    task = ecs.run_task(
        cluster="jobs", taskDefinition="batch", launchType="FARGATE", networkConfiguration=network, **extra
    )["tasks"][0]["taskArn"]
    ecs.create_service(
        cluster="jobs",
        serviceName="svc",
        taskDefinition="batch",
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration=network,
    )
    return str(task)


def test_discovers_standalone_tasks_prices_stops_and_confirms_them(aws, location, seed):
    task = seed_tasks(seed, tags={"job": "nightly"})
    handler = EcsTaskHandler(aws)
    [found] = handler.discover(location, [])  # not the service's task
    assert found.id == task and found.tags == {"job": "nightly"} and found.name == "batch:1"
    assert [(u.usage_type, u.quantity) for u in handler.usage(found)] == [
        ("Fargate-vCPU-Hours:perCPU", 1.0),
        ("Fargate-GB-Hours", 2.0),
    ]
    assert handler.delete(location, [found])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.discover(location, []) == []
    assert handler.delete(location, [found])[0].kind in (OutcomeKind.PENDING, OutcomeKind.GONE)


def test_a_task_still_stopping_is_pending_and_a_forgotten_one_gone():
    # moto stops a task at once; AWS moves it through DEACTIVATING / STOPPING, and forgets it later
    stub = StubbedClients("ecs")
    arn = "arn:aws:ecs:us-east-1:1:task/jobs/0123456789abcdef"
    stub.reply("describe_tasks", {"tasks": [{"taskArn": arn, "lastStatus": "DEACTIVATING"}]})
    stub.error("stop_task", "InvalidParameterException", "The referenced task was not found.")
    handler = EcsTaskHandler(stub)
    task = Resource("ecs:task", arn, "1", "us-east-1")
    assert handler.confirm_gone(Location("1", "us-east-1"), [task])[0].kind is OutcomeKind.PENDING
    assert handler.delete(Location("1", "us-east-1"), [task])[0].kind is OutcomeKind.GONE
