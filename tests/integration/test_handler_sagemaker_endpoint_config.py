from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handlers.sagemaker_endpoint_config import SageMakerEndpointConfigHandler
from tests.integration.park_fixtures import seed_endpoint
from tests.integration.stubs import StubbedClients


def test_discovery_links_each_config_to_the_endpoints_using_it(aws, location, seed):
    seed_endpoint(seed, "churn")
    sagemaker = seed("sagemaker")
    sagemaker.create_endpoint_config(
        EndpointConfigName="spare",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "churn",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
        Tags=[{"Key": "team", "Value": "ml"}],
    )
    handler = SageMakerEndpointConfigHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert set(found) == {"churn-config", "spare"}
    assert found["churn-config"].links == (Link("sagemaker:endpoint", "churn", "used by"),)
    assert found["spare"].links == () and found["spare"].tags == {"team": "ml"}


def test_deletes_configs_idempotently(aws, location, seed):
    seed_endpoint(seed, "churn")
    seed("sagemaker").delete_endpoint(EndpointName="churn")
    handler = SageMakerEndpointConfigHandler(aws)
    found = handler.discover(location, [])
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.DONE]
    assert seed("sagemaker").list_endpoint_configs()["EndpointConfigs"] == []
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]


def test_a_config_whose_endpoint_is_not_selected_is_held_back(park_sdk, seed):
    # AWS would delete a config its endpoint still uses: the link keeps it while the endpoint stays.
    seed_endpoint(seed, "churn")
    plan = park_sdk.plan(types=["sagemaker:endpoint-config"], accounts=[park_sdk.whoami()])
    assert [k.resource.id for k in plan.blocked] == ["churn-config"]
    assert "not selected" in plan.blocked[0].reason


def test_other_validation_errors_are_not_taken_for_gone():
    stub = StubbedClients("sagemaker")
    stub.error("delete_endpoint_config", "ValidationException", "1 validation error detected")
    config = Resource("sagemaker:endpoint-config", "c", "1", "us-east-1")
    [result] = SageMakerEndpointConfigHandler(stub).delete(Location("1", "us-east-1"), [config])
    assert result.kind is OutcomeKind.FAILED
