from datetime import UTC, datetime

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.sagemaker_endpoint import SageMakerEndpointHandler
from tests.integration.conftest import round_trip
from tests.integration.park_fixtures import seed_endpoint
from tests.integration.stubs import StubbedClients


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


def test_an_endpoint_is_destroyed_and_confirmed_gone(aws, location, seed):
    seed_endpoint(seed, "churn")
    handler = SageMakerEndpointHandler(aws)
    found = handler.discover(location, [])
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, found)] == [OutcomeKind.DONE]
    assert seed("sagemaker").list_endpoints()["Endpoints"] == []
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]  # idempotent


def test_an_endpoint_still_deleting_is_pending_and_costs_no_second_delete():
    # moto deletes endpoints at once; AWS shows EndpointStatus "Deleting" for minutes.
    stub = StubbedClients("sagemaker")
    stub.reply(
        "describe_endpoint",
        {
            "EndpointName": "churn",
            "EndpointArn": "arn:aws:sagemaker:us-east-1:1:endpoint/churn",
            "EndpointConfigName": "churn-config",
            "EndpointStatus": "Deleting",
            "CreationTime": datetime(2026, 1, 1, tzinfo=UTC),
            "LastModifiedTime": datetime(2026, 1, 1, tzinfo=UTC),
        },
    )
    deleting = Resource(
        "sagemaker:endpoint", "churn", "1", "us-east-1", attributes={"settings": {"status": "Deleting"}}
    )
    handler = SageMakerEndpointHandler(stub)
    location = Location("1", "us-east-1")
    assert handler.delete(location, [deleting])[0].kind is OutcomeKind.PENDING  # no call made
    [confirmed] = handler.confirm_gone(location, [deleting])
    assert confirmed.kind is OutcomeKind.PENDING and confirmed.message == "Deleting"


def test_sagemaker_endpoint_config_and_model_go_in_that_order(park_sdk, seed):
    seed_endpoint(seed, "churn")
    types = ["sagemaker:endpoint", "sagemaker:endpoint-config", "sagemaker:model"]
    plan = park_sdk.plan(types=types, accounts=[park_sdk.whoami()])
    result = park_sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok, result.task_reasons
    sagemaker = seed("sagemaker")
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert sagemaker.list_endpoint_configs()["EndpointConfigs"] == []
    assert sagemaker.list_models()["Models"] == []
