import json

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.cloudformation_stack import CloudFormationStackHandler
from tests.integration.stubs import StubbedClients

TEMPLATE = json.dumps({"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}}})
STACK = "arn:aws:cloudformation:us-east-1:1:stack/app/0a1b2c3d"


def stack(cloudformation, name, **extra):
    return cloudformation.create_stack(StackName=name, TemplateBody=TEMPLATE, **extra)["StackId"]


def test_root_stacks_are_listed_with_tags_and_protection(aws, location, seed):
    cloudformation = seed("cloudformation")
    app = stack(cloudformation, "app", Tags=[{"Key": "team", "Value": "a"}], EnableTerminationProtection=True)
    stack(
        cloudformation,
        "awseb-e-123-stack",
        Tags=[{"Key": "elasticbeanstalk:environment-id", "Value": "e-123"}],
    )
    stack(cloudformation, "StackSet-baseline-0a1b")
    found = {r.id: r for r in CloudFormationStackHandler(aws).discover(location, [location.region])}
    assert set(found) == {app}
    assert found[app].name == "app" and found[app].tags == {"team": "a"}
    assert found[app].attributes["termination_protection"] is True


def test_a_stack_is_deleted_with_its_resources_then_confirmed_gone(aws, location, seed):
    cloudformation = seed("cloudformation")
    stack(cloudformation, "app")
    handler = CloudFormationStackHandler(aws)
    found = handler.discover(location, [location.region])
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, found)] == [OutcomeKind.DONE]
    assert seed("sqs").list_queues().get("QueueUrls", []) == []  # the stack took its queue
    assert handler.discover(location, [location.region]) == []
    [again] = handler.delete(location, found)  # DeleteStack on a deleted stack's ID succeeds
    assert again.kind in (OutcomeKind.PENDING, OutcomeKind.GONE)
    assert [o.kind for o in handler.confirm_gone(location, found)] == [OutcomeKind.DONE]


def test_a_protected_stack_is_left_without_a_mutating_call(aws, location, seed):
    cloudformation = seed("cloudformation")
    stack(cloudformation, "app", EnableTerminationProtection=True)
    handler = CloudFormationStackHandler(aws)
    found = handler.discover(location, [location.region])
    [result] = handler.delete(location, found)
    assert (
        result.kind is OutcomeKind.PROTECTED and "--disable-protection cloudformation:stack" in result.message
    )
    assert ("cloudformation", "UpdateTerminationProtection") not in aws.counter.calls
    assert ("cloudformation", "DeleteStack") not in aws.counter.calls


def test_with_disable_protection_the_protection_goes_then_the_stack():
    """moto has no UpdateTerminationProtection: the calls are stubbed, in their order."""
    stub = StubbedClients("cloudformation")
    stub.reply(
        "update_termination_protection",
        {"StackId": STACK},
        {"EnableTerminationProtection": False, "StackName": STACK},
    )
    stub.reply("delete_stack", {}, {"StackName": STACK})
    handler = CloudFormationStackHandler(stub, HandlerOptions(frozenset({"cloudformation:stack"})))
    protected = Resource(
        "cloudformation:stack",
        STACK,
        "1",
        "us-east-1",
        name="app",
        attributes={"termination_protection": True},
    )
    assert [o.kind for o in handler.delete(Location("1", "us-east-1"), [protected])] == [OutcomeKind.PENDING]
    stub.stubber.assert_no_pending_responses()


def test_protection_turned_on_after_discovery_is_protected():
    """Real CloudFormation refuses DeleteStack on a protected stack (ValidationError); moto
    deletes it anyway, so the error is injected."""
    stub = StubbedClients("cloudformation")
    stub.error(
        "delete_stack",
        "ValidationError",
        "Stack [app] cannot be deleted while TerminationProtection is enabled",
    )
    [result] = CloudFormationStackHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("cloudformation:stack", STACK, "1", "us-east-1", name="app")]
    )
    assert result.kind is OutcomeKind.PROTECTED


def _described(status, reason=""):
    return {
        "Stacks": [
            {
                "StackId": STACK,
                "StackName": "app",
                "CreationTime": "2026-01-01T00:00:00Z",
                "StackStatus": status,
                "StackStatusReason": reason,
            }
        ]
    }


def test_delete_failed_is_deleted_again_then_reported_failed_with_the_reason():
    """moto never fails a stack deletion: DELETE_FAILED is stubbed. What held the stack is often
    being deleted by the same run (an interface outside the stack in its subnet): it is deleted
    again, and reported failed only on the third DELETE_FAILED."""
    stub = StubbedClients("cloudformation")
    held = _described("DELETE_FAILED", "The subnet has dependencies and cannot be deleted")
    stub.reply("describe_stacks", _described("DELETE_IN_PROGRESS"))
    for _ in range(2):
        stub.reply("describe_stacks", held)
        stub.reply("delete_stack", {}, {"StackName": STACK})
    stub.reply("describe_stacks", held)
    handler = CloudFormationStackHandler(stub)
    resource = Resource("cloudformation:stack", STACK, "1", "us-east-1", name="app")
    kinds = [handler.confirm_gone(Location("1", "us-east-1"), [resource])[0] for _ in range(3)]
    assert [o.kind for o in kinds] == [OutcomeKind.PENDING] * 3
    assert "deleting again" in kinds[1].message
    [failed] = handler.confirm_gone(Location("1", "us-east-1"), [resource])
    assert failed.kind is OutcomeKind.FAILED and "has dependencies" in failed.message
    assert "(3 attempts)" in failed.message and "--retain-failed-stack-resources" in failed.message
    stub.stubber.assert_no_pending_responses()


def test_asked_to_the_stack_is_deleted_leaving_what_it_could_not_delete():
    """moto never fails a stack deletion: stubbed. After its attempts, RetainResources names the
    resources whose status is DELETE_FAILED, and the stack is then confirmed gone."""
    stub = StubbedClients("cloudformation")
    held = _described("DELETE_FAILED", "The bucket you tried to delete is not empty")
    for _ in range(2):
        stub.reply("describe_stacks", held)
        stub.reply("delete_stack", {}, {"StackName": STACK})
    stub.reply("describe_stacks", held)
    stuck = dict(
        _summary("AWS::S3::Bucket", "app-logs-1"), LogicalResourceId="Logs", ResourceStatus="DELETE_FAILED"
    )
    gone = dict(_summary("AWS::SQS::Queue", "q"), ResourceStatus="DELETE_COMPLETE")
    stub.reply("list_stack_resources", {"StackResourceSummaries": [stuck, gone]}, {"StackName": STACK})
    stub.reply("delete_stack", {}, {"StackName": STACK, "RetainResources": ["Logs"]})
    stub.reply("describe_stacks", _described("DELETE_COMPLETE"))
    handler = CloudFormationStackHandler(stub, HandlerOptions(retain_failed_stack_resources=True))
    resource = Resource("cloudformation:stack", STACK, "1", "us-east-1", name="app")
    answers = [handler.confirm_gone(Location("1", "us-east-1"), [resource])[0] for _ in range(4)]
    assert [o.kind for o in answers] == [OutcomeKind.PENDING] * 3 + [OutcomeKind.DONE]
    assert "leaving Logs" in answers[2].message
    stub.stubber.assert_no_pending_responses()


def test_a_stack_that_no_longer_exists_is_gone():
    stub = StubbedClients("cloudformation")
    stub.error("delete_stack", "ValidationError", "Stack with id app does not exist")
    stub.error("describe_stacks", "ValidationError", "Stack with id app does not exist")
    handler = CloudFormationStackHandler(stub)
    resource = Resource("cloudformation:stack", STACK, "1", "us-east-1", name="app")
    assert [o.kind for o in handler.delete(Location("1", "us-east-1"), [resource])] == [OutcomeKind.GONE]
    assert [o.kind for o in handler.confirm_gone(Location("1", "us-east-1"), [resource])] == [
        OutcomeKind.GONE
    ]


class _ResourcesByStack:
    """The stubbed client, except that ListStackResources answers by stack name: the handler reads
    the stacks' resources a few at a time, in no fixed order, while Stubber answers in order."""

    def __init__(self, stub, resources):
        self.stub, self.resources = stub, resources

    def client(self, account, region, service):
        return self

    def get_paginator(self, operation):
        if operation != "list_stack_resources":
            return self.stub.stubbed.get_paginator(operation)
        resources = self.resources

        class Pages:
            def paginate(self, StackName):  # boto3 names it so
                return [{"StackResourceSummaries": resources[StackName]}]

        return Pages()


def test_nested_stacks_are_not_listed_but_their_resources_count_as_the_roots():
    """moto's nested stacks are partial: the listing is stubbed."""
    stub = StubbedClients("cloudformation")
    nested = dict(
        _described("CREATE_COMPLETE")["Stacks"][0],
        StackId=STACK + "-n",
        StackName="app-Nested",
        ParentId=STACK,
        RootId=STACK,
    )
    stub.reply("describe_stacks", {"Stacks": [_described("CREATE_COMPLETE")["Stacks"][0], nested]})
    clients = _ResourcesByStack(
        stub,
        {
            STACK: [_summary("AWS::CloudFormation::Stack", STACK + "-n")],
            STACK + "-n": [
                _summary("AWS::ElasticLoadBalancingV2::LoadBalancer", "arn:aws:elasticloadbalancing:lb/app"),
                _summary("AWS::IAM::Role", "app-Role-1"),
                _summary("AWS::EC2::SecurityGroupIngress", None),  # not made yet: no physical ID
            ],
        },
    )
    [found] = CloudFormationStackHandler(clients).discover(Location("1", "us-east-1"), ["us-east-1"])
    assert found.id == STACK
    assert found.attributes["stack_ids"] == [STACK, STACK + "-n"]
    assert found.attributes["members"] == ["elbv2|arn:aws:elasticloadbalancing:lb/app", "iam|app-Role-1"]


def _summary(resource_type, physical):
    summary = {
        "LogicalResourceId": "Thing",
        "ResourceType": resource_type,
        "LastUpdatedTimestamp": "2026-01-01T00:00:00Z",
        "ResourceStatus": "CREATE_COMPLETE",
    }
    return summary | ({"PhysicalResourceId": physical} if physical else {})
