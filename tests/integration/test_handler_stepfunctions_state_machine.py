import json

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.stepfunctions_state_machine import StepFunctionsStateMachineHandler
from tests.integration.stubs import StubbedClients

DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
ROLE = "arn:aws:iam::123456789012:role/sfn"


def test_discovers_deletes_and_confirms_state_machines(aws, location, seed):
    sfn = seed("stepfunctions")
    arn = sfn.create_state_machine(
        name="orders", definition=DEFINITION, roleArn=ROLE, tags=[{"key": "team", "value": "ops"}]
    )["stateMachineArn"]
    handler = StepFunctionsStateMachineHandler(aws)

    [machine] = handler.discover(location, [])
    assert (machine.id, machine.name, machine.tags) == (arn, "orders", {"team": "ops"})
    assert [o.kind for o in handler.delete(location, [machine])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [machine])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []
    # a second delete: AWS (and moto) accept DeleteStateMachine of a gone machine; confirm settles it
    assert [o.kind for o in handler.delete(location, [machine])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [machine])] == [OutcomeKind.DONE]


def test_a_machine_still_deleting_is_pending():
    # moto deletes at once; AWS keeps the machine DELETING until its executions have stopped
    stub = StubbedClients("stepfunctions")
    arn = "arn:aws:states:us-east-1:1:stateMachine:orders"
    stub.reply(
        "describe_state_machine",
        {
            "stateMachineArn": arn,
            "name": "orders",
            "status": "DELETING",
            "definition": DEFINITION,
            "roleArn": ROLE,
            "type": "STANDARD",
            "creationDate": "2026-01-01T00:00:00Z",
        },
    )
    [result] = StepFunctionsStateMachineHandler(stub).confirm_gone(
        Location("1", "us-east-1"), [Resource("stepfunctions:state-machine", arn, "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PENDING and result.message == "DELETING"
