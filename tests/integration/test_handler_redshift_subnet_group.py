"""Redshift subnet groups against the moto server; a group still used by a cluster is injected with
botocore's Stubber (moto deletes it)."""

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.redshift_subnet_group import RedshiftSubnetGroupHandler
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_subnet_groups(aws, location, seed):
    subnet = seed("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    seed("redshift").create_cluster_subnet_group(
        ClusterSubnetGroupName="warehouse-subnets",
        Description="bi",
        SubnetIds=[subnet],
        Tags=[{"Key": "team", "Value": "bi"}],
    )
    handler = RedshiftSubnetGroupHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "warehouse-subnets" and found.tags == {"team": "bi"}
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert handler.discover(location, []) == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE


def test_a_subnet_group_in_use_is_not_yet():
    stub = StubbedClients("redshift")
    stub.error("delete_cluster_subnet_group", "InvalidClusterSubnetGroupStateFault", "in use by cluster w")
    group = Resource("redshift:subnet-group", "g", "1", "us-east-1", name="g")
    [result] = RedshiftSubnetGroupHandler(stub).delete(Location("1", "us-east-1"), [group])
    assert result.kind is OutcomeKind.NOT_YET


def test_a_subnet_group_links_to_the_clusters_in_it(aws, location, seed):
    subnet = seed("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    redshift = seed("redshift")
    redshift.create_cluster_subnet_group(ClusterSubnetGroupName="bi", Description="bi", SubnetIds=[subnet])
    redshift.create_cluster(
        ClusterIdentifier="warehouse",
        NodeType="dc2.large",
        ClusterType="single-node",
        MasterUsername="admin",
        MasterUserPassword="Secret-123",
        ClusterSubnetGroupName="bi",
    )
    [found] = RedshiftSubnetGroupHandler(aws).discover(location, [])
    assert [(link.type_key, link.id) for link in found.links] == [("redshift:cluster", "warehouse")]
