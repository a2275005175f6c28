from costzero.infrastructure.aws.handlers.sagemaker_endpoint import SageMakerEndpointHandler
from tests.integration.conftest import round_trip


def test_an_endpoint_is_deleted_keeping_its_config_and_recreated_from_it(park_sdk, seed):
    sagemaker = seed("sagemaker")
    role = "arn:aws:iam::123456789012:role/sagemaker"
    sagemaker.create_model(
        ModelName="churn",
        ExecutionRoleArn=role,
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="churn-config",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "churn",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(
        EndpointName="churn", EndpointConfigName="churn-config", Tags=[{"Key": "team", "Value": "ml"}]
    )
    before, parked, after = round_trip(park_sdk, "sagemaker:endpoint")
    expected = {"exists": True, "config": "churn-config", "status": "InService", "tags": {"team": "ml"}}
    assert before == {"churn": expected}  # deleting drops the tags: start recreates them too
    assert parked == {"churn": {"exists": False}}  # deleted while parked, known from its snapshot ...
    assert sagemaker.describe_endpoint_config(EndpointConfigName="churn-config")  # ... but its config is kept
    assert after == before


def test_discovery_reads_each_variants_instance_type_and_count(aws, location, seed):
    sagemaker = seed("sagemaker")
    sagemaker.create_model(
        ModelName="churn",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/sagemaker",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="churn-config",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "churn",
                "InitialInstanceCount": 2,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName="churn", EndpointConfigName="churn-config")
    handler = SageMakerEndpointHandler(aws)
    [endpoint] = handler.discover(location, [])
    assert endpoint.attributes["variants"] == [
        {"name": "main", "instance_type": "ml.m5.large", "count": 2, "serverless": False}
    ]
    assert [(u.usage_type, u.quantity) for u in handler.usage(endpoint)] == [("Host:ml.m5.large", 2.0)]
