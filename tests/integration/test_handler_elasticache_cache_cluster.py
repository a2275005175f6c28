"""ElastiCache replication groups, standalone cache clusters and subnet groups against the moto
server; what moto does not do (delete a subnet group at all, refuse a group mid-change or a
subnet group in use) is injected with botocore's Stubber."""

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.elasticache_cache_cluster import ElastiCacheCacheClusterHandler
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


def test_standalone_clusters_only_and_their_nodes(aws, location, seed):
    elasticache = seed("elasticache")
    elasticache.create_cache_cluster(
        CacheClusterId="memo", Engine="memcached", CacheNodeType="cache.t3.micro", NumCacheNodes=3, Tags=TAGS
    )
    _group(seed)  # its member clusters belong to the group's type
    handler = ElastiCacheCacheClusterHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "memo" and found.tags == {"team": "cache"}
    [hours] = handler.usage(found)
    assert (hours.usage_type, hours.quantity) == ("NodeUsage:cache.t3.micro", 3.0)
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    confirmed = handler.confirm_gone(location, [found])[0]  # moto: "deleting" for good, or gone
    assert confirmed.kind in (OutcomeKind.PENDING, OutcomeKind.DONE)
    vanished = Resource("elasticache:cache-cluster", "vanished", location.account, location.region)
    assert handler.delete(location, [vanished])[0].kind is OutcomeKind.GONE
    assert handler.confirm_gone(location, [vanished])[0].kind is OutcomeKind.DONE


def test_a_cluster_mid_change_is_not_yet():
    stub = StubbedClients("elasticache")
    stub.error("delete_cache_cluster", "InvalidCacheClusterState", "cluster is creating")
    [result] = ElastiCacheCacheClusterHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("elasticache:cache-cluster", "c", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
