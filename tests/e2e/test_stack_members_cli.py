"""The destroy plan says what CloudFormation stacks delete for it (table and JSON), and a plan that
leaves the stacks out keeps what they created, saying why."""

from __future__ import annotations

import json

import boto3

from costzero.presentation.options import overrides
from costzero.presentation.sdk import CostZero
from tests.e2e.running import invoke

TEMPLATE = json.dumps({"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}}})


def test_the_plan_lists_what_goes_with_its_stack(blank, moto_server):
    cloudformation = boto3.client(
        "cloudformation", region_name="us-east-1", endpoint_url=moto_server.endpoint_url
    )
    cloudformation.create_stack(StackName="app", TemplateBody=TEMPLATE)
    args = ("plan", "destroy", "--type", "cloudformation:stack", "--type", "sqs:queue")
    document = json.loads(invoke(*args, "-o", "json").stdout)
    [member] = document["with_stack"]
    assert member["type"] == "sqs:queue" and member["reason"] == "deleted with CloudFormation stack app"
    assert document["targets"] == 1  # the stack; its queue is not deleted on its own
    table = invoke(*args).stdout
    assert "with its stack sqs:queue" in table
    assert "1 resources would be deleted (and 1 by their CloudFormation stacks)" in table

    alone = json.loads(invoke("plan", "destroy", "--type", "sqs:queue", "-o", "json").stdout)
    assert alone["targets"] == 0 and alone["with_stack"] == []
    [kept] = alone["kept"]
    assert kept["reason"].startswith("created by CloudFormation stack app, which is kept (not selected")


def test_retaining_what_a_failed_stack_could_not_delete_is_asked_for_and_reaches_the_handler(
    blank, moto_server
):
    plain = invoke("plan", "destroy", "--type", "cloudformation:stack", "-o", "json")
    asked = invoke(
        "plan", "destroy", "--type", "cloudformation:stack", "--retain-failed-stack-resources", "-o", "json"
    )
    assert plain.exit_code == 0 and asked.exit_code == 0, asked.stderr
    for flag in (False, True):
        with CostZero(None, **overrides(retain_failed_stack_resources=flag)) as sdk:
            handler = sdk._container.handlers()["cloudformation:stack"]
            assert handler.options.retain_failed_stack_resources is flag
