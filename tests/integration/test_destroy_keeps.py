"""What a kept resource holds back: planned as blocked, never tried, nothing kept touched, no wait.

A demo-shaped region over HTTP, with `keep=true` on an instance (its volumes, its address), an AMI
(its snapshots), a security group named by another group's rule, and a Beanstalk environment (its
application).
"""

from __future__ import annotations

import time

import boto3
import pytest

from costzero.domain.safety import TagFilter
from costzero.infrastructure.demo_seed import seed_region
from costzero.presentation.sdk import CostZero

REGION = "us-east-1"
KEEP = [{"Key": "keep", "Value": "true"}]


@pytest.fixture
def kept(moto_server):
    moto_server.reset()
    seed_region(moto_server.endpoint_url, REGION)
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=moto_server.endpoint_url)
    eb = boto3.client("elasticbeanstalk", region_name=REGION, endpoint_url=moto_server.endpoint_url)
    image = ec2.describe_images(Owners=["self"])["Images"][0]
    instance = next(  # the one with an extra volume and an associated address
        a["InstanceId"] for a in ec2.describe_addresses()["Addresses"] if a.get("InstanceId")
    )
    groups = {g["GroupName"]: g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    ec2.create_tags(Resources=[instance, image["ImageId"], groups["demo-db-0"]], Tags=KEEP)
    environment = eb.describe_environments()["Environments"][0]
    eb.update_tags_for_resource(ResourceArn=environment["EnvironmentArn"], TagsToAdd=KEEP)
    return {
        "instance": instance,
        "image": image["ImageId"],
        "group": groups["demo-db-0"],
        "environment": environment["EnvironmentName"],
        "environment_id": environment.get("EnvironmentId") or environment["EnvironmentName"],
        "ec2": ec2,
        "eb": eb,
    }


def test_a_keep_filtered_destroy_blocks_what_kept_resources_hold_without_waiting(moto_server, kept, tmp_path):
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        exclude_tags=["keep=true"],
        wait={"budget_seconds": 300, "first_delay": 0.1, "max_delay": 0.5},
    ) as sdk:
        plan = sdk.plan(accounts=[sdk.whoami()])
        assert {TagFilter.parse("keep=true")} == set(plan.policy.exclude_tags)
        reasons = {b.resource.id: b.reason for b in plan.blocked}
        ec2, eb = kept["ec2"], kept["eb"]
        volumes = [
            v["VolumeId"]
            for v in ec2.describe_volumes()["Volumes"]
            if any(a["InstanceId"] == kept["instance"] for a in v["Attachments"])
        ]
        assert len(volumes) == 2  # its root volume and the extra one
        for volume in volumes:
            assert reasons[volume] == f"attached to {kept['instance']}, which is kept (tag keep=true)"
        address = next(
            a for a in ec2.describe_addresses()["Addresses"] if a.get("InstanceId") == kept["instance"]
        )
        assert reasons[address["AllocationId"]].startswith(
            f"associated with {kept['instance']}, which is kept"
        )
        image = ec2.describe_images(ImageIds=[kept["image"]])["Images"][0]
        for mapping in image["BlockDeviceMappings"]:
            snapshot = mapping["Ebs"]["SnapshotId"]
            assert reasons[snapshot].startswith(f"backing {kept['image']}, which is kept")
        app_group = next(
            g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] == "demo-app-0"
        )
        assert reasons[app_group["GroupId"]].startswith(f"named in a rule of {kept['group']}, which is kept")
        # the application's own tags are read (no keep tag): its kept environment holds it back
        assert reasons["demo-us-east-1-app-0"].startswith(
            f"has environment {kept['environment_id']}, which is kept"
        )
        blocked_ids = set(reasons)
        assert not blocked_ids & {r.id for r in plan.targets}

        started = time.monotonic()
        result = sdk.destroy(plan, dry_run=False, yes=True)
        elapsed = time.monotonic() - started

    # exit 1: something the user asked for is left, each with its reason
    assert not result.ok
    assert result.blocked == len(blocked_ids) and result.outcomes["blocked"] == len(blocked_ids)
    assert not any("gave up" in reason for reason in result.task_reasons.values())
    assert elapsed < 60  # the blocked ones are never waited for (budget: 300 s)
    # nothing kept (or held back) was touched
    instance = ec2.describe_instances(InstanceIds=[kept["instance"]])["Reservations"][0]["Instances"][0]
    assert instance["State"]["Name"] == "running"
    assert {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]} == set(volumes)
    assert [a.get("InstanceId") for a in ec2.describe_addresses()["Addresses"]] == [kept["instance"]]
    assert ec2.describe_images(Owners=["self"])["Images"][0]["ImageId"] == kept["image"]
    groups = {g["GroupId"]: g for g in ec2.describe_security_groups()["SecurityGroups"]}
    assert {kept["group"], app_group["GroupId"]} <= set(groups)
    assert groups[kept["group"]]["IpPermissions"] and groups[app_group["GroupId"]]["IpPermissions"]
    environments = [e for e in eb.describe_environments()["Environments"] if e["Status"] != "Terminated"]
    assert [e["EnvironmentName"] for e in environments] == [kept["environment"]]
    assert [a["ApplicationName"] for a in eb.describe_applications()["Applications"]] == [
        "demo-us-east-1-app-0"
    ]
