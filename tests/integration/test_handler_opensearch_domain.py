"""OpenSearch domains against the moto server; a domain AWS is still deleting is injected with
botocore's Stubber (moto removes a domain at once)."""

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.opensearch_domain import OpenSearchDomainHandler
from tests.integration.stubs import StubbedClients

ARN = "arn:aws:es:us-east-1:111122223333:domain/logs"


def create_domain(seed, name="search", tags=()):
    seed("opensearch").create_domain(
        DomainName=name,
        ClusterConfig={
            "InstanceType": "t3.small.search",
            "InstanceCount": 2,
            "DedicatedMasterEnabled": True,
            "DedicatedMasterType": "m5.large.search",
            "DedicatedMasterCount": 3,
        },
        EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": 10},
        TagList=list(tags),
    )


def test_discovers_prices_and_deletes_a_domain(aws, location, seed):
    create_domain(seed, tags=[{"Key": "team", "Value": "search"}])
    handler = OpenSearchDomainHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "search" and found.tags == {"team": "search"}
    assert [(u.usage_type, u.quantity, u.monthly) for u in handler.usage(found)] == [
        ("ESInstance:t3.small.search", 2.0, False),
        ("ESInstance:m5.large.search", 3.0, False),
        ("ES:gp3-Storage", 20.0, True),
    ]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE  # a second delete: gone


def test_a_domain_already_deleting_costs_no_call_and_stays_pending_until_gone():
    # moto removes a domain at once; AWS describes it with Deleted true for minutes.
    stub = StubbedClients("opensearch")
    status = {"DomainId": "1/logs", "DomainName": "logs", "ARN": ARN, "Deleted": True, "ClusterConfig": {}}
    stub.reply("describe_domain", {"DomainStatus": status})
    domain = Resource("opensearch:domain", "logs", "1", "us-east-1", attributes={"deleted": True})
    handler = OpenSearchDomainHandler(stub)
    assert handler.delete(Location("1", "us-east-1"), [domain])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(Location("1", "us-east-1"), [domain])[0].kind is OutcomeKind.PENDING
    stub.stubber.assert_no_pending_responses()  # the delete made no call of its own
