"""ElastiCache replication groups, standalone cache clusters and subnet groups against the moto
server; what moto does not do (delete a subnet group at all, refuse a group mid-change or a
subnet group in use) is injected with botocore's Stubber."""

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.elasticache_subnet_group import ElastiCacheSubnetGroupHandler
from tests.integration.stubs import StubbedClients

TAGS = [{"Key": "team", "Value": "cache"}]


def test_subnet_groups_are_listed_without_the_default(aws, location, seed):
    ec2, elasticache = seed("ec2"), seed("elasticache")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    for name in ("default", "app-cache"):
        elasticache.create_cache_subnet_group(
            CacheSubnetGroupName=name, CacheSubnetGroupDescription=name, SubnetIds=[subnet], Tags=TAGS
        )
    [found] = ElastiCacheSubnetGroupHandler(aws).discover(location, [])
    assert found.id == "app-cache" and found.tags == {"team": "cache"}


def test_subnet_group_delete_in_use_and_gone():
    # moto has no DeleteCacheSubnetGroup: the calls are answered by Stubber as AWS answers them.
    stub = StubbedClients("elasticache")
    stub.reply("delete_cache_subnet_group", {}, {"CacheSubnetGroupName": "a"})
    stub.error("delete_cache_subnet_group", "CacheSubnetGroupInUse", "in use by cluster c")
    stub.error("delete_cache_subnet_group", "CacheSubnetGroupNotFoundFault", "not found")
    groups = [Resource("elasticache:subnet-group", n, "1", "us-east-1", name=n) for n in "abc"]
    outcomes = ElastiCacheSubnetGroupHandler(stub).delete(Location("1", "us-east-1"), groups)
    assert [o.kind for o in outcomes] == [OutcomeKind.DONE, OutcomeKind.NOT_YET, OutcomeKind.GONE]


def test_a_subnet_group_links_to_the_clusters_in_it(aws, location, seed):
    ec2, elasticache = seed("ec2"), seed("elasticache")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    elasticache.create_cache_subnet_group(
        CacheSubnetGroupName="app-cache", CacheSubnetGroupDescription="app", SubnetIds=[subnet]
    )
    elasticache.create_cache_cluster(
        CacheClusterId="memo",
        Engine="memcached",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=1,
        CacheSubnetGroupName="app-cache",
    )
    [found] = ElastiCacheSubnetGroupHandler(aws).discover(location, [])
    assert [(link.type_key, link.id) for link in found.links] == [("elasticache:cache-cluster", "memo")]


def test_a_member_cluster_links_the_subnet_group_to_its_replication_group():
    stub = StubbedClients("elasticache")
    group = {
        "CacheSubnetGroupName": "app-cache",
        "ARN": "arn:aws:elasticache:us-east-1:1:subnetgroup:app-cache",
    }
    stub.reply("describe_cache_subnet_groups", {"CacheSubnetGroups": [group]})
    stub.reply("list_tags_for_resource", {"TagList": []})
    members = [
        {
            "CacheClusterId": f"sessions-00{n}",
            "ReplicationGroupId": "sessions",
            "CacheSubnetGroupName": "app-cache",
        }
        for n in (1, 2)
    ]
    stub.reply("describe_cache_clusters", {"CacheClusters": members})
    [found] = ElastiCacheSubnetGroupHandler(stub).discover(Location("1", "us-east-1"), [])
    assert [(link.type_key, link.id) for link in found.links] == [
        ("elasticache:replication-group", "sessions")
    ]
