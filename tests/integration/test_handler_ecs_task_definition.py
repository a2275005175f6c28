from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ecs_task_definition import EcsTaskDefinitionHandler
from tests.integration.stubs import StubbedClients

CONTAINERS = [{"name": "web", "image": "nginx", "memory": 128}]


def test_discovers_deregisters_and_deletes_every_revision(aws, location, seed):
    ecs = seed("ecs")
    for _ in range(2):
        ecs.register_task_definition(
            family="web", containerDefinitions=CONTAINERS, tags=[{"key": "t", "value": "1"}]
        )
    old = ecs.list_task_definitions()["taskDefinitionArns"][0]
    ecs.deregister_task_definition(taskDefinition=old)
    handler = EcsTaskDefinitionHandler(aws)
    found = {r.name: r for r in handler.discover(location, [])}
    assert set(found) == {"web:1", "web:2"} and found["web:2"].tags == {"t": "1"}
    assert found["web:1"].attributes["status"] == "INACTIVE"
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert aws.counter.calls[("ecs", "DeregisterTaskDefinition")] == 1  # the ACTIVE one only
    assert aws.counter.calls[("ecs", "DeleteTaskDefinitions")] == 1  # both in one call
    assert handler.discover(location, []) == []


def test_a_revision_in_use_or_unknown_is_reported_per_revision():
    # moto deletes any INACTIVE revision; AWS reports the failures of a batch revision by revision
    stub = StubbedClients("ecs")
    arns = [f"arn:aws:ecs:us-east-1:1:task-definition/web:{n}" for n in (1, 2, 3)]
    stub.error(
        "deregister_task_definition", "ClientException", "The specified task definition does not exist."
    )
    stub.reply(
        "delete_task_definitions",
        {"failures": [{"arn": arns[2], "reason": "TASK_DEFINITION_NOT_INACTIVE"}]},
        {"taskDefinitions": arns[1:]},
    )
    resources = [
        Resource("ecs:task-definition", arns[0], "1", "us-east-1", attributes={"status": "ACTIVE"}),
        Resource("ecs:task-definition", arns[1], "1", "us-east-1", attributes={"status": "INACTIVE"}),
        Resource("ecs:task-definition", arns[2], "1", "us-east-1", attributes={"status": "INACTIVE"}),
    ]
    kinds = [o.kind for o in EcsTaskDefinitionHandler(stub).delete(Location("1", "us-east-1"), resources)]
    assert kinds == [OutcomeKind.GONE, OutcomeKind.DONE, OutcomeKind.FAILED]
