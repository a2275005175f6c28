"""The demo account across two regions, through the SDK and the real adapters, over HTTP."""

from __future__ import annotations

import boto3
import pytest

from costzero.domain.errors import SafetyRefusal
from costzero.infrastructure.demo_seed import DEMO_REGIONS, seed_demo_account
from costzero.presentation.sdk import CostZero


@pytest.fixture
def estate(moto_server):
    moto_server.reset()
    return seed_demo_account(moto_server.endpoint_url, DEMO_REGIONS)


@pytest.fixture
def sdk(moto_server, tmp_path):
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=list(DEMO_REGIONS),
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        wait={"budget_seconds": 60, "first_delay": 0.1, "max_delay": 0.5},
    ) as client:
        yield client


def sdk_settings(sdk: CostZero, **changes: object) -> dict[str, object]:
    return {**sdk.settings.model_dump(), **changes}


def remaining(endpoint_url: str, account: str = "123456789012") -> dict[str, int]:
    """Count what is left of the ten types with plain boto3, independent of the handlers."""
    left: dict[str, int] = {}
    for region in DEMO_REGIONS:
        ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint_url)
        eb = boto3.client("elasticbeanstalk", region_name=region, endpoint_url=endpoint_url)
        instances = [
            i
            for r in ec2.describe_instances()["Reservations"]
            for i in r["Instances"]
            if i["State"]["Name"] != "terminated"
        ]
        counts = {
            "ec2:instance": len(instances),
            "ec2:volume": len(ec2.describe_volumes()["Volumes"]),
            "ec2:snapshot": len(
                ec2.describe_snapshots(  # moto ignores OwnerIds: filter on the owner
                    Filters=[{"Name": "owner-id", "Values": [account]}]
                )["Snapshots"]
            ),
            "ec2:image": len(ec2.describe_images(Owners=["self"])["Images"]),
            "ec2:elastic-ip": len(ec2.describe_addresses()["Addresses"]),
            "ec2:security-group": len(
                [g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] != "default"]
            ),
            "ec2:key-pair": len(ec2.describe_key_pairs()["KeyPairs"]),
            "elasticbeanstalk:environment": len(
                [e for e in eb.describe_environments()["Environments"] if e["Status"] != "Terminated"]
            ),
            "elasticbeanstalk:application": len(eb.describe_applications()["Applications"]),
        }
        for key, value in counts.items():
            left[key] = left.get(key, 0) + value
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint_url)
    left["s3:bucket"] = len(s3.list_buckets()["Buckets"])
    return left


def test_a_dry_run_and_every_refusal_make_no_mutating_call(sdk, estate, moto_server):
    plan = sdk.plan()
    assert len(plan.targets) == sum(estate.values())
    result = sdk.destroy(plan, dry_run=True)
    assert result.outcomes["would-delete"] == sum(estate.values())
    with pytest.raises(SafetyRefusal):
        sdk.destroy(plan, dry_run=False, confirm="not-the-account")
    with pytest.raises(SafetyRefusal):
        sdk.destroy(plan, dry_run=False, yes=True)  # not allow-listed
    blocked = CostZero(None, container=None, **sdk_settings(sdk, accounts={"block": [plan.account]}))
    with blocked, pytest.raises(SafetyRefusal, match="block-list"):
        blocked.plan()
    assert sdk.api_calls == {}
    assert remaining(moto_server.endpoint_url) == dict(estate)


def test_a_blast_radius_refusal_makes_no_mutating_call(moto_server, estate, tmp_path):
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=list(DEMO_REGIONS),
        database_url=f"sqlite:///{tmp_path / 'r.db'}",
        max_resources=10,
    ) as sdk:
        plan = sdk.plan()
        with pytest.raises(SafetyRefusal, match="max_resources=10"):
            sdk.destroy(plan, dry_run=False, confirm=plan.account)
        assert sdk.api_calls == {}


def test_destroying_the_demo_account_leaves_nothing(sdk, estate, moto_server):
    account = sdk.whoami()
    plan = sdk.plan(accounts=[account])
    result = sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok, result.task_reasons
    assert result.deleted == sum(estate.values())
    assert set(remaining(moto_server.endpoint_url).values()) == {0}
    run = sdk.run(result.run_id[:6])
    assert run["status"] == "succeeded"
    assert len([a for a in run["actions"] if a["outcome"] in ("done", "gone")]) == sum(estate.values())
    # batch APIs: one TerminateInstances per region for all its instances
    assert sdk.api_calls["ec2:TerminateInstances"] == len(DEMO_REGIONS)
