"""What a CloudFormation stack created is deleted by the stack, never behind its back, over HTTP.

One stack (VPC, subnet, security group, queue, topic, log group, IAM role) and, outside it, an
instance launched into the stack's subnet with the stack's group: the stack cannot delete its group
while the instance uses it, so the destroy terminates the instance first, then deletes the stack,
and makes no delete call of its own for the stack's resources.
"""

from __future__ import annotations

import json

import boto3
import pytest

from costzero.domain.ownership import STACK_TYPE
from costzero.presentation.sdk import CostZero

REGION = "us-east-1"
ZONE = "us-east-1a"
PUBLIC_IMAGE = [{"Name": "name", "Values": ["amzn2-ami-hvm-2.0.*"]}]
WAIT = {"budget_seconds": 60, "first_delay": 0.01, "max_delay": 0.05}
TEMPLATE = {
    "Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.42.0.0/16"}},
        "Subnet": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {
                "VpcId": {"Ref": "Vpc"},
                "CidrBlock": "10.42.1.0/24",
                "AvailabilityZone": "us-east-1a",
            },
        },
        "Group": {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {"GroupDescription": "app", "VpcId": {"Ref": "Vpc"}},
        },
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}},
        "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
        "Role": {
            "Type": "AWS::IAM::Role",
            "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}},
        },
    }
}
TYPES = [
    STACK_TYPE,
    "ec2:instance",
    "ec2:volume",
    "ec2:network-interface",
    "ec2:security-group",
    "ec2:subnet",
    "ec2:route-table",
    "ec2:network-acl",
    "ec2:vpc",
    "sqs:queue",
    "sns:topic",
    "logs:log-group",
    "iam:role",
]
MEMBER_DELETES = {
    "ec2:DeleteSecurityGroup",
    "ec2:DeleteSubnet",
    "ec2:DeleteVpc",
    "sqs:DeleteQueue",
    "sns:DeleteTopic",
    "logs:DeleteLogGroup",
    "iam:DeleteRole",
}


@pytest.fixture
def account(moto_server):
    moto_server.reset()
    url = moto_server.endpoint_url
    cloudformation = boto3.client("cloudformation", region_name=REGION, endpoint_url=url)
    stack_id = cloudformation.create_stack(StackName="app", TemplateBody=json.dumps(TEMPLATE))["StackId"]
    physical = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cloudformation.list_stack_resources(StackName=stack_id)["StackResourceSummaries"]
    }
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=url)
    image = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-2.0.*"]}]
    )
    instance = ec2.run_instances(
        ImageId=image["Images"][0]["ImageId"],
        MinCount=1,
        MaxCount=1,
        SubnetId=physical["Subnet"],
        SecurityGroupIds=[physical["Group"]],
    )["Instances"][0]["InstanceId"]
    return {"stack": stack_id, "physical": physical, "instance": instance, "url": url}


def sdk_for(moto_server, tmp_path, **settings) -> CostZero:
    return CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        wait=WAIT,
        **settings,
    )


def test_the_stack_deletes_what_it_created_after_what_uses_it_from_outside(moto_server, account, tmp_path):
    physical = account["physical"]
    with sdk_for(moto_server, tmp_path) as sdk:
        plan = sdk.plan(types=TYPES, accounts=[sdk.whoami()])
        assert not plan.failures, plan.failures
        members = {k.resource.type_key: k.resource for k in plan.with_stack}
        assert set(members) == {
            "ec2:vpc",
            "ec2:subnet",
            "ec2:security-group",
            "sqs:queue",
            "sns:topic",
            "logs:log-group",
            "iam:role",
        }
        assert members["ec2:security-group"].id == physical["Group"]  # found by its tag
        assert members["iam:role"].name == physical["Role"]  # IAM carries no aws: tags: found by the list
        assert all(k.reason == "deleted with CloudFormation stack app" for k in plan.with_stack)
        targets = {(r.type_key, r.id): r for r in plan.targets}
        stack = targets[(STACK_TYPE, account["stack"])]
        assert [(link.type_key, link.id) for link in stack.links] == [("ec2:instance", account["instance"])]
        assert ("ec2:instance", account["instance"]) in targets
        assert not {(r.type_key, r.id) for r in members.values()} & set(targets)

        dry = sdk.destroy(plan, dry_run=True)
        assert dry.ok and sdk.api_calls == {}

        result = sdk.destroy(plan, dry_run=False, yes=True)
        assert result.ok, result.task_reasons
        # what the stack deleted is reported gone with it, each under its own type, and counted
        assert result.deleted == len(plan.reach) == len(plan.targets) + 7
        went = {
            (a["task_key"].split("@")[0], a["resource_id"]): a["message"]
            for a in sdk.run(result.run_id)["actions"]
            if a["outcome"] == "gone"
        }
        assert {(k.resource.type_key, k.resource.id) for k in plan.with_stack} <= set(went)
        assert went[("iam:role", members["iam:role"].id)] == f"deleted with {STACK_TYPE} app"
        # and its savings count them (the stack itself is free)
        assert {"sqs:queue", "sns:topic", "ec2:vpc"} - {
            s.type_key for s in sdk.savings(result.run_id).savings
        } == set()
        calls = set(sdk.api_calls)
        assert "cloudformation:DeleteStack" in calls
        assert not calls & MEMBER_DELETES, calls & MEMBER_DELETES
        actions = sdk.run(result.run_id)["actions"]
        order = [(a["task_key"].split("@")[0], a["resource_id"], a["outcome"]) for a in actions]
        terminated = next(
            n for n, a in enumerate(order) if a[1] == account["instance"] and a[2] in ("done", "gone")
        )
        stack_first = next(n for n, a in enumerate(order) if a[0] == STACK_TYPE)
        assert terminated < stack_first, order

    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=account["url"])
    assert physical["Vpc"] not in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}
    sqs = boto3.client("sqs", region_name=REGION, endpoint_url=account["url"])
    assert sqs.list_queues().get("QueueUrls", []) == []


def test_without_the_stacks_in_the_selection_what_they_created_is_kept(moto_server, account, tmp_path):
    with sdk_for(moto_server, tmp_path) as sdk:
        plan = sdk.plan(types=["sqs:queue", "iam:role", "ec2:security-group"], accounts=[sdk.whoami()])
        assert plan.targets == [] and plan.with_stack == []
        reasons = {k.resource.type_key: k.reason for k in plan.kept}
        expected = (
            "created by CloudFormation stack app, which is kept (not selected: add cloudformation:stack"
        )
        assert set(reasons) == {"sqs:queue", "iam:role", "ec2:security-group"}
        assert all(reason.startswith(expected) for reason in reasons.values()), reasons
        result = sdk.destroy(plan, dry_run=False, yes=True)
        assert result.ok and result.deleted == 0 and sdk.api_calls == {}


def test_a_kept_stack_keeps_what_it_created_and_what_uses_it(moto_server, account, tmp_path):
    cloudformation = boto3.client("cloudformation", region_name=REGION, endpoint_url=account["url"])
    cloudformation.update_stack(
        StackName="app", TemplateBody=json.dumps(TEMPLATE), Tags=[{"Key": "keep", "Value": "true"}]
    )
    with sdk_for(moto_server, tmp_path, exclude_tags=["keep=true"]) as sdk:
        plan = sdk.plan(types=TYPES, accounts=[sdk.whoami()])
        kept = {k.resource.type_key: k.reason for k in plan.kept}
        assert kept[STACK_TYPE] == "tag keep=true"
        assert kept["sqs:queue"] == "created by CloudFormation stack app, which is kept (tag keep=true)"
        assert plan.with_stack == []
        targets = {r.type_key for r in plan.targets}
        assert not targets & {"sqs:queue", "iam:role", "ec2:vpc", "ec2:subnet", STACK_TYPE}


def test_a_stack_that_created_something_the_user_keeps_is_not_deleted(moto_server, account, tmp_path):
    """The stack's security group carries keep=true: deleting the stack would delete it, so the stack
    is held back, and what it created stays with it; nothing is called."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=account["url"])
    ec2.create_tags(Resources=[account["physical"]["Group"]], Tags=[{"Key": "keep", "Value": "true"}])
    with sdk_for(moto_server, tmp_path, exclude_tags=["keep=true"]) as sdk:
        plan = sdk.plan(types=TYPES, accounts=[sdk.whoami()])
        blocked = {b.resource.type_key: b.reason for b in plan.blocked}
        group = account["physical"]["Group"]  # named by the stack's own link, or its VPC's
        assert blocked[STACK_TYPE].endswith(f"{group}, which is kept (tag keep=true)")
        assert blocked["sqs:queue"].startswith("created by stack app, which cannot go")
        assert plan.with_stack == []
        assert STACK_TYPE not in {r.type_key for r in plan.targets}
        calls = dict(sdk.api_calls)
        sdk.destroy(plan, dry_run=False, yes=True)
        assert (
            "cloudformation:DeleteStack" not in sdk.api_calls
            and "ec2:DeleteSecurityGroup" not in sdk.api_calls
        )
        assert set(sdk.api_calls) - set(calls) <= {
            "ec2:TerminateInstances"
        }  # the instance outside still goes


def test_a_stack_under_termination_protection_keeps_what_it_created(moto_server, account, tmp_path):
    """The protected stack is planned as protected; its resources stay with it, never deleted on their own."""
    cloudformation = boto3.client("cloudformation", region_name=REGION, endpoint_url=account["url"])
    queue_only = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}}}
    cloudformation.create_stack(
        StackName="locked", TemplateBody=json.dumps(queue_only), EnableTerminationProtection=True
    )
    with sdk_for(moto_server, tmp_path) as sdk:
        plan = sdk.plan(types=[STACK_TYPE, "sqs:queue"], accounts=[sdk.whoami()])
        assert [p.resource.name for p in plan.protected] == ["locked"]
        kept = [k.reason for k in plan.kept if k.resource.type_key == "sqs:queue"]
        assert kept == [
            "created by CloudFormation stack locked, which is kept (termination protection on;"
            " --disable-protection cloudformation:stack to delete it)"
        ]
        assert "locked" not in {(k.resource.name or "").split("-")[0] for k in plan.with_stack}
        assert {r.type_key for r in plan.targets} == {STACK_TYPE}  # app's stack; its queue goes with it
