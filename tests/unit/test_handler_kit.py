"""The shared handler plumbing against botocore's Stubber: real request and reply shapes, checked by
botocore's service models, with nothing sent anywhere (every call is answered by the stub)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import boto3
from botocore.stub import Stubber

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import each
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler
from costzero.infrastructure.aws.handlers.ec2_key_pair import Ec2KeyPairHandler

HERE = Location("123456789012", "us-east-1")


class Stubbed:
    """A ClientSource whose one client is stubbed."""

    def __init__(self, service: str) -> None:
        self.client_ = boto3.client(service, region_name=HERE.region, endpoint_url="http://127.0.0.1:9")
        self.stub = Stubber(self.client_)
        self.stub.activate()

    def client(self, account: str, region: str, service: str) -> Any:
        return self.client_


def test_each_settles_every_resource_on_its_own():
    clients = Stubbed("ec2")
    clients.stub.add_response("delete_snapshot", {}, {"SnapshotId": "snap-1"})
    clients.stub.add_client_error(
        "delete_snapshot", "InvalidSnapshot.InUse", "in use by ami-0123456789abcdef0"
    )
    clients.stub.add_client_error("delete_snapshot", "UnauthorizedOperation", "no")
    ec2 = clients.client_
    snapshots = [Resource("ec2:snapshot", f"snap-{n}", HERE.account, HERE.region) for n in (1, 2, 3)]
    outcomes = each(snapshots, lambda s: ec2.delete_snapshot(SnapshotId=s.id), "ec2:DeleteSnapshot")
    assert [(o.resource_id, o.kind) for o in outcomes] == [
        ("snap-1", OutcomeKind.DONE),
        ("snap-2", OutcomeKind.NOT_YET),
        ("snap-3", OutcomeKind.DENIED),
    ]
    assert outcomes[1].blockers == ("ami-0123456789abcdef0",)
    assert "missing IAM permission ec2:DeleteSnapshot" in outcomes[2].message
    clients.stub.assert_no_pending_responses()


def test_a_key_pair_is_listed_by_one_call_and_deleted_by_name():
    clients = Stubbed("ec2")
    clients.stub.add_response(
        "describe_key_pairs",
        {
            "KeyPairs": [
                {"KeyPairId": "key-1", "KeyName": "alpha", "Tags": [{"Key": "keep", "Value": "true"}]},
                {"KeyPairId": "key-2", "KeyName": "beta"},
            ]
        },
        {},
    )
    handler = Ec2KeyPairHandler(clients)
    alpha, beta = handler.discover(HERE, [HERE.region])
    assert (alpha.id, alpha.name, alpha.tags) == ("key-1", "alpha", {"keep": "true"})
    assert (beta.id, beta.name, beta.tags) == ("key-2", "beta", {})

    clients.stub.add_response("delete_key_pair", {}, {"KeyName": "alpha"})
    clients.stub.add_client_error(
        "delete_key_pair", "UnauthorizedOperation", "no", expected_params={"KeyName": "beta"}
    )
    done, denied = handler.delete(HERE, [alpha, beta])
    assert (done.resource_id, done.kind) == ("key-1", OutcomeKind.DONE)
    assert (denied.resource_id, denied.kind) == ("key-2", OutcomeKind.DENIED)
    assert "ec2:DeleteKeyPair" in denied.message  # the IAM action, from botocore's operation name
    clients.stub.assert_no_pending_responses()


class LogGroups(ListDeleteHandler):
    """A type declared the way the next ones will be: paged listing, no tags in it, delete by ID."""

    spec = ResourceTypeSpec(key="logs:log-group", taggable=False)
    list_call, items_key = "describe_log_groups", "logGroups"
    id_key, tags_key = "logGroupName", None
    delete_call, delete_param = "delete_log_group", "logGroupName"

    def include(self, item: Mapping[str, Any]) -> bool:
        return not str(item["logGroupName"]).startswith("/aws/keep")

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"stored_bytes": item.get("storedBytes")}


def test_a_paged_listing_is_read_to_the_end_and_each_resource_deleted_by_its_id():
    clients = Stubbed("logs")
    clients.stub.add_response(
        "describe_log_groups", {"logGroups": [{"logGroupName": "a", "storedBytes": 5}], "nextToken": "t"}, {}
    )
    clients.stub.add_response(
        "describe_log_groups",
        {"logGroups": [{"logGroupName": "/aws/keep/me"}, {"logGroupName": "b"}]},
        {"nextToken": "t"},
    )
    handler = LogGroups(clients)
    found = handler.discover(HERE, [HERE.region])
    assert [(r.id, r.name, r.tags, r.attributes) for r in found] == [
        ("a", None, {}, {"stored_bytes": 5}),
        ("b", None, {}, {"stored_bytes": None}),
    ]

    clients.stub.add_response("delete_log_group", {}, {"logGroupName": "a"})
    clients.stub.add_client_error(
        "delete_log_group", "ResourceNotFoundException", "gone", expected_params={"logGroupName": "b"}
    )
    assert [(o.resource_id, o.kind) for o in handler.delete(HERE, found)] == [
        ("a", OutcomeKind.DONE),
        ("b", OutcomeKind.GONE),
    ]
    clients.stub.assert_no_pending_responses()


def test_a_service_interface_stands_for_its_owner_where_its_description_names_it():
    from costzero.infrastructure.aws.handler_kit.vpc import owner_link

    def link(description, region="eu-west-1"):
        found = owner_link({"Description": description}, "111122223333", region)
        return (found.type_key, found.id) if found else None

    assert link("ELB net/api/0a1b") == (
        "elbv2:load-balancer",
        "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0a1b",
    )
    assert link("ELB app/web/1", "cn-north-1")[1].startswith("arn:aws-cn:elasticloadbalancing:cn-north-1:")
    assert link("ELB legacy-web") == ("elb:load-balancer", "legacy-web")
    assert link("EFS mount target for fs-1 (fsmt-2)") == ("efs:mount-target", "fsmt-2")
    assert link("RDSNetworkInterface") is None and link("AWS Lambda VPC ENI-f-1") is None
