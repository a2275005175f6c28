from costzero.infrastructure.aws.handlers.sagemaker_notebook_instance import SageMakerNotebookInstanceHandler
from tests.integration.conftest import round_trip


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
