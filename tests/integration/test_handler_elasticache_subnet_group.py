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
