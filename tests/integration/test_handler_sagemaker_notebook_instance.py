from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.sagemaker_notebook_instance import SageMakerNotebookInstanceHandler
from tests.integration.conftest import round_trip
from tests.integration.stubs import StubbedClients


def test_notebooks_stop_and_start(park_sdk, seed):
    seed("sagemaker").create_notebook_instance(
        NotebookInstanceName="lab",
        InstanceType="ml.t3.medium",
        RoleArn="arn:aws:iam::123456789012:role/sagemaker",
    )
    before, parked, after = round_trip(park_sdk, "sagemaker:notebook-instance")
    assert before == {"lab": {"status": "InService"}}
    assert parked == {"lab": {"status": "Stopped"}}
    assert after == before


def test_discovery_reads_the_instance_type_and_the_volume_size(aws, location, seed):
    seed("sagemaker").create_notebook_instance(
        NotebookInstanceName="lab",
        InstanceType="ml.t3.medium",
        RoleArn="arn:aws:iam::123456789012:role/sagemaker",
        VolumeSizeInGB=10,
    )
    handler = SageMakerNotebookInstanceHandler(aws)
    [notebook] = handler.discover(location, [])
    assert (notebook.attributes["instance_type"], notebook.attributes["volume_gb"]) == ("ml.t3.medium", 10)
    assert [(u.usage_type, u.quantity) for u in handler.usage(notebook)] == [
        ("Notebk:ml.t3.medium", 1.0),
        ("Notebk:VolumeUsage.gp2", 10.0),
    ]


def test_a_running_notebook_is_stopped_then_deleted(aws, location, seed):
    sagemaker = seed("sagemaker")
    sagemaker.create_notebook_instance(
        NotebookInstanceName="lab",
        InstanceType="ml.t3.medium",
        RoleArn="arn:aws:iam::123456789012:role/sagemaker",
    )
    handler = SageMakerNotebookInstanceHandler(aws)
    found = handler.discover(location, [])
    [first] = handler.delete(location, found)
    assert first.kind is OutcomeKind.PENDING and "stopping" in first.message  # AWS deletes only stopped ones
    status = sagemaker.describe_notebook_instance(NotebookInstanceName="lab")["NotebookInstanceStatus"]
    assert status == "Stopped"
    [second] = handler.confirm_gone(location, found)  # the confirmation takes the next step
    assert second.kind is OutcomeKind.PENDING and second.message == "deleting"
    assert [o.kind for o in handler.confirm_gone(location, found)] == [OutcomeKind.DONE]
    assert sagemaker.list_notebook_instances()["NotebookInstances"] == []
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]  # idempotent


def test_a_destroy_stops_and_deletes_a_running_notebook(park_sdk, seed):
    seed("sagemaker").create_notebook_instance(
        NotebookInstanceName="lab",
        InstanceType="ml.t3.medium",
        RoleArn="arn:aws:iam::123456789012:role/sagemaker",
    )
    plan = park_sdk.plan(types=["sagemaker:notebook-instance"], accounts=[park_sdk.whoami()])
    result = park_sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok, result.task_reasons
    assert seed("sagemaker").list_notebook_instances()["NotebookInstances"] == []


def _described(status: str) -> dict:
    return {"NotebookInstanceName": "lab", "NotebookInstanceStatus": status}


def test_a_notebook_on_its_way_is_waited_for_and_deleted_once_stopped():
    # moto's notebooks change state at once; AWS's pass through Stopping and Deleting, and
    # DeleteNotebookInstance refuses anything but Stopped or Failed (ValidationException).
    stub = StubbedClients("sagemaker")
    location = Location("1", "us-east-1")
    notebook = Resource("sagemaker:notebook-instance", "lab", "1", "us-east-1")
    handler = SageMakerNotebookInstanceHandler(stub)
    stub.reply("describe_notebook_instance", _described("Stopping"))
    stopping = handler.delete(location, [notebook])[0]  # no stop, no delete call: the Stubber has none
    assert stopping.kind is OutcomeKind.PENDING and stopping.message.startswith("Stopping")
    stub.reply("describe_notebook_instance", _described("Stopped"))
    stub.reply("delete_notebook_instance", {}, {"NotebookInstanceName": "lab"})
    assert handler.confirm_gone(location, [notebook])[0].message == "deleting"
    stub.reply("describe_notebook_instance", _described("Deleting"))
    assert handler.confirm_gone(location, [notebook])[0].kind is OutcomeKind.PENDING
    stub.error("describe_notebook_instance", "ValidationException", "RecordNotFound")
    assert handler.confirm_gone(location, [notebook])[0].kind is OutcomeKind.DONE
    stub.stubber.assert_no_pending_responses()


def test_a_delete_refused_while_not_stopped_is_not_yet():
    # between the status read and the call the notebook may have been started again: AWS's refusal
    stub = StubbedClients("sagemaker")
    stub.reply("describe_notebook_instance", _described("Stopped"))
    stub.error(
        "delete_notebook_instance",
        "ValidationException",
        "Status (InService) not in ([Stopped, Failed]). Unable to transition to (Deleting)",
    )
    notebook = Resource("sagemaker:notebook-instance", "lab", "1", "us-east-1")
    [result] = SageMakerNotebookInstanceHandler(stub).delete(Location("1", "us-east-1"), [notebook])
    assert result.kind is OutcomeKind.NOT_YET
