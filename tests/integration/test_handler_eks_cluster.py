from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.eks_cluster import EksClusterHandler
from tests.integration.stubs import StubbedClients

ROLE = "arn:aws:iam::123456789012:role/eks"
KEY = "eks:cluster"
HERE = Location("1", "us-east-1")


def test_discovers_prices_deletes_and_confirms_clusters(aws, location, seed):
    seed("eks").create_cluster(
        name="prod", roleArn=ROLE, resourcesVpcConfig={"subnetIds": ["subnet-1"]}, tags={"team": "a"}
    )
    handler = EksClusterHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "prod" and found.tags == {"team": "a"}
    assert [(u.service, u.usage_type, u.unit, u.quantity) for u in handler.usage(found)] == [
        ("AmazonEKS", "AmazonEKS-Hours:perCluster", "Hours", 1.0)
    ]
    assert handler.delete(location, [found])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.discover(location, []) == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE


def _cluster(status="ACTIVE", protection=True):
    return {"cluster": {"name": "prod", "status": status, "deletionProtection": protection}}


def test_a_protected_cluster_is_left_without_a_mutating_call():
    # moto has no deletionProtection on clusters: AWS's describe answer is stubbed; any other call
    # (UpdateClusterConfig, DeleteCluster) would fail the stub
    stub = StubbedClients("eks")
    stub.reply("describe_cluster", _cluster())
    [result] = EksClusterHandler(stub).delete(HERE, [Resource(KEY, "prod", "1", "us-east-1")])
    assert result.kind is OutcomeKind.PROTECTED and "--disable-protection eks:cluster" in result.message
    stub.stubber.assert_no_pending_responses()


def test_allowed_protection_is_turned_off_then_the_delete_waits_for_the_update():
    stub = StubbedClients("eks")
    stub.reply("describe_cluster", _cluster())
    stub.reply(
        "update_cluster_config",
        {"update": {"id": "u-1", "status": "InProgress"}},
        {"name": "prod", "deletionProtection": False},
    )
    stub.reply("describe_cluster", _cluster("UPDATING", protection=False))
    stub.reply("describe_cluster", _cluster("ACTIVE", protection=False))
    stub.reply("delete_cluster", {"cluster": {"name": "prod", "status": "DELETING"}}, {"name": "prod"})
    handler = EksClusterHandler(stub, HandlerOptions(disable_protection=frozenset({KEY})))
    cluster = Resource(KEY, "prod", "1", "us-east-1")
    assert [handler.delete(HERE, [cluster])[0].kind for _ in range(3)] == [
        OutcomeKind.NOT_YET,
        OutcomeKind.NOT_YET,
        OutcomeKind.PENDING,
    ]
    stub.stubber.assert_no_pending_responses()


def test_a_cluster_with_node_groups_is_not_yet_and_a_deleting_one_pending():
    # moto deletes a cluster that still has node groups; AWS answers ResourceInUseException
    stub = StubbedClients("eks")
    stub.reply("describe_cluster", _cluster(protection=False))
    stub.error("delete_cluster", "ResourceInUseException", "Cluster has nodegroups attached")
    stub.reply("describe_cluster", _cluster("DELETING", protection=False))
    handler = EksClusterHandler(stub)
    cluster = Resource(KEY, "prod", "1", "us-east-1")
    assert handler.delete(HERE, [cluster])[0].kind is OutcomeKind.NOT_YET
    assert handler.confirm_gone(HERE, [cluster])[0].kind is OutcomeKind.PENDING


def test_discovery_links_a_cluster_to_its_node_groups_and_fargate_profiles(aws, location, seed):
    eks = seed("eks")
    eks.create_cluster(name="prod", roleArn=ROLE, resourcesVpcConfig={"subnetIds": ["subnet-1"]})
    eks.create_nodegroup(clusterName="prod", nodegroupName="general", nodeRole=ROLE, subnets=["subnet-1"])
    eks.create_fargate_profile(
        clusterName="prod",
        fargateProfileName="jobs",
        podExecutionRoleArn=ROLE,
        selectors=[{"namespace": "j"}],
    )
    [found] = EksClusterHandler(aws).discover(location, [])
    assert {(link.type_key, link.id) for link in found.links} == {
        ("eks:nodegroup", "prod/general"),
        ("eks:fargate-profile", "prod/jobs"),
    }
