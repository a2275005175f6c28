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
