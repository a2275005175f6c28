"""Groups and keep-tags reach every parkable type, listed or not (a parked SageMaker endpoint does
not exist, so its tags come from its snapshot)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from costzero.domain.errors import SafetyRefusal
from costzero.infrastructure.aws.handler_kit.base import read_tags
from costzero.presentation.sdk import CostZero
from tests.integration.park_fixtures import make_function, seed_alarm

TYPES = ["lambda:function", "kinesis:stream", "dynamodb:table", "cloudwatch:alarm", "sagemaker:endpoint"]
GROUPS = {"journeys": {"tags": {"Project": "journeys"}}}


def seed_tagged(seed, prefix: str, tags: dict[str, str]) -> set[str]:
    """One resource of each type in TYPES, named `<prefix>-...`, carrying `tags`."""
    pairs = [{"Key": k, "Value": v} for k, v in tags.items()]
    make_function(seed, f"{prefix}-fn", reserved=3, tags=tags)
    kinesis = seed("kinesis")
    kinesis.create_stream(StreamName=f"{prefix}-stream", ShardCount=2)
    kinesis.add_tags_to_stream(StreamName=f"{prefix}-stream", Tags=tags)
    seed("dynamodb").create_table(
        TableName=f"{prefix}-table",
        BillingMode="PROVISIONED",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        Tags=pairs,
    )
    seed_alarm(seed, f"{prefix}-alarm", enabled=True)
    cloudwatch = seed("cloudwatch")
    arn = cloudwatch.describe_alarms(AlarmNames=[f"{prefix}-alarm"])["MetricAlarms"][0]["AlarmArn"]
    cloudwatch.tag_resource(ResourceARN=arn, Tags=pairs)
    sagemaker = seed("sagemaker")
    sagemaker.create_model(
        ModelName=f"{prefix}-model",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/sagemaker",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName=f"{prefix}-config",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": f"{prefix}-model",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )
    sagemaker.create_endpoint(
        EndpointName=f"{prefix}-endpoint", EndpointConfigName=f"{prefix}-config", Tags=pairs
    )
    return {f"{prefix}-{suffix}" for suffix in ("fn", "stream", "table", "alarm", "endpoint")}


@pytest.fixture
def open_sdk(moto_server, tmp_path):
    def make(**settings) -> CostZero:
        return CostZero(
            None,
            endpoint_url=moto_server.endpoint_url,
            regions=["us-east-1"],
            database_url=f"sqlite:///{tmp_path / 'park.db'}",
            wait={"budget_seconds": 30, "first_delay": 0.01, "max_delay": 0.05},
            groups=GROUPS,
            **settings,
        )

    return make


def test_a_group_and_keep_tags_select_every_type_and_start_honours_them_for_unlisted_ones(open_sdk, seed):
    ours = seed_tagged(seed, "in", {"Project": "journeys"})
    theirs = seed_tagged(seed, "out", {"Project": "billing"})

    with open_sdk() as cz:
        plan = cz.plan_stop(group="journeys", types=TYPES)
        assert {i.resource.id for i in plan.changes} == ours
        assert not theirs & {i.resource.id for i in plan.reports}  # outside the group: not selected
        stopped = cz.stop(group="journeys", types=TYPES, accounts=[cz.whoami()], dry_run=False, yes=True)
        assert stopped.ok and stopped.outcomes["parked"] == 5
        states = {r["id"]: r["state"] for r in cz.status(group="journeys", types=TYPES)}
        assert set(states) == ours and all(s.startswith("parked since") for s in states.values())

    with open_sdk(exclude_tags=["Project=journeys"]) as cz:
        plan = cz.plan_start(types=TYPES)
        assert plan.changes == []
        reasons = {k.resource.id: k.reason for k in plan.kept if k.resource.id in ours}
        assert reasons["in-endpoint"] == "tag Project=journeys"  # deleted while parked: snapshot tags
        assert set(reasons) == ours
        assert "restored" not in cz.start(types=TYPES, dry_run=False).outcomes

    with open_sdk() as cz:
        assert cz.plan_start(group="journeys", types=TYPES).changes != []
        started = cz.start(group="journeys", types=TYPES, dry_run=False)
        assert started.ok and started.outcomes == {"restored": 5}
        params = cz.run(started.run_id)["params"]  # what `runs resume` re-plans with
        assert (params["include_tags"], params["exclude_tags"]) == ({"Project": "journeys"}, [])
        endpoint = seed("sagemaker").describe_endpoint(EndpointName="in-endpoint")
        tags = seed("sagemaker").list_tags(ResourceArn=endpoint["EndpointArn"])["Tags"]
        assert tags == [{"Key": "Project", "Value": "journeys"}]


def test_max_resources_bounds_start_too(open_sdk, seed):
    seed_alarm(seed, "a-1", enabled=True)
    seed_alarm(seed, "a-2", enabled=True)
    with open_sdk() as cz:
        cz.stop(types=["cloudwatch:alarm"], accounts=[cz.whoami()], dry_run=False, yes=True)
    with open_sdk(max_resources=1) as cz:
        with pytest.raises(SafetyRefusal, match="max_resources=1"):
            cz.start(types=["cloudwatch:alarm"], dry_run=False)
        assert cz.api_calls == {}
        assert {r["state"][:12] for r in cz.status(types=["cloudwatch:alarm"])} == {"parked since"}


def test_tags_that_cannot_be_read_are_none_so_tag_filters_keep_the_resource():
    def denied():
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "ListTags")

    assert read_tags(denied) is None
    assert read_tags(lambda: [{"Key": "team", "Value": "a"}]) == {"team": "a"}
    assert read_tags(lambda: {"team": "a"}) == {"team": "a"}
