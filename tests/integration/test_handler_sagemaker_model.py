from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link
from costzero.infrastructure.aws.handlers.sagemaker_model import SageMakerModelHandler
from tests.integration.park_fixtures import seed_endpoint


def test_discovery_links_each_model_to_the_configs_naming_it_and_deletes_it(aws, location, seed):
    seed_endpoint(seed, "churn")
    sagemaker = seed("sagemaker")
    sagemaker.create_model(
        ModelName="loose",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/sagemaker",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/loose:1"},
        Tags=[{"Key": "team", "Value": "ml"}],
    )
    handler = SageMakerModelHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert found["churn"].links == (Link("sagemaker:endpoint-config", "churn-config", "named by"),)
    assert found["loose"].links == () and found["loose"].tags == {"team": "ml"}
    assert [o.kind for o in handler.delete(location, [found["loose"]])] == [OutcomeKind.DONE]
    assert [o.kind for o in handler.delete(location, [found["loose"]])] == [OutcomeKind.GONE]
    assert [m["ModelName"] for m in sagemaker.list_models()["Models"]] == ["churn"]
