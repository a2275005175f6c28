"""ElastiCache replication groups, standalone cache clusters and subnet groups against the moto
server; what moto does not do (delete a subnet group at all, refuse a group mid-change or a
subnet group in use) is injected with botocore's Stubber."""

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.elasticache_replication_group import (
    ElastiCacheReplicationGroupHandler,
)
from tests.integration.stubs import StubbedClients

TAGS = [{"Key": "team", "Value": "cache"}]


def _group(seed, name="sessions", replicas=1):
    return seed("elasticache").create_replication_group(
        ReplicationGroupId=name,
        ReplicationGroupDescription="sessions",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        NumCacheClusters=replicas + 1,
        Tags=TAGS,
    )["ReplicationGroup"]


def test_discovers_prices_deletes_and_confirms_a_replication_group(aws, location, seed):
    _group(seed)
    handler = ElastiCacheReplicationGroupHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "sessions" and found.tags == {"team": "cache"}
    [hours] = handler.usage(found)
    assert (hours.usage_type, hours.unit) == ("NodeUsage:cache.t3.micro", "Hrs")
    assert hours.quantity == len(found.attributes["members"])  # one node per member cluster
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    # the test server ends the deletion at once (moto alone keeps "deleting" for ever; AWS takes
    # minutes): a group still deleting is PENDING with no second call, shown with Stubber below
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []
    assert aws.counter.calls[("elasticache", "DeleteReplicationGroup")] == 1
    vanished = Resource("elasticache:replication-group", "vanished", location.account, location.region)
    assert handler.delete(location, [vanished])[0].kind is OutcomeKind.GONE
    assert handler.confirm_gone(location, [vanished])[0].kind is OutcomeKind.DONE


def test_a_valkey_group_is_priced_apart_from_redis(aws, location):
    group = Resource(
        "elasticache:replication-group",
        "g",
        "1",
        "us-east-1",
        attributes={"engine": "valkey", "node_type": "cache.t3.micro", "members": ["a", "b", "c"]},
    )
    [hours] = ElastiCacheReplicationGroupHandler(aws).usage(group)
    assert hours.usage_type == "NodeUsage:cache.t3.micro@valkey" and hours.quantity == 3.0


def test_a_group_mid_change_is_not_yet():
    # moto deletes a group in any state; AWS refuses one that is modifying or snapshotting.
    stub = StubbedClients("elasticache")
    stub.error("delete_replication_group", "InvalidReplicationGroupState", "group is modifying")
    [result] = ElastiCacheReplicationGroupHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("elasticache:replication-group", "g", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET


def test_a_group_still_deleting_is_pending():
    stub = StubbedClients("elasticache")
    stub.reply(
        "describe_replication_groups",
        {"ReplicationGroups": [{"ReplicationGroupId": "g", "Status": "deleting"}]},
    )
    [result] = ElastiCacheReplicationGroupHandler(stub).confirm_gone(
        Location("1", "us-east-1"), [Resource("elasticache:replication-group", "g", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PENDING


def test_a_member_of_a_global_datastore_is_blocked_without_a_call():
    # moto has no global datastores; AWS refuses to delete a member group (it must leave the
    # datastore, or the datastore go, first): answered before any call.
    stub = StubbedClients("elasticache")
    group = Resource(
        "elasticache:replication-group",
        "g",
        "1",
        "us-east-1",
        attributes={"global_datastore": "ldgnf-global"},
    )
    [result] = ElastiCacheReplicationGroupHandler(stub).delete(Location("1", "us-east-1"), [group])
    assert result.kind is OutcomeKind.BLOCKED and "ldgnf-g" in result.message
    stub.stubber.assert_no_pending_responses()
