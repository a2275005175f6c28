"""Aurora global databases: AWS deletes no cluster that is a member of one, and costzero keeps
every member (BLOCKED, with the global database and its regions) instead of taking it apart.

The moto server has global clusters, but is lenient: its DeleteDBCluster quietly takes a member
out of its global database and deletes it, where AWS refuses. The tests therefore check that no
delete is sent at all; AWS's refusal itself is shown with Stubber.
"""

from __future__ import annotations

import boto3

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.rds_db_cluster import RdsDbClusterHandler
from costzero.presentation.sdk import CostZero
from tests.integration.conftest import OTHER_REGION, REGION
from tests.integration.stubs import StubbedClients


def _aurora(rds, name, global_cluster=None):
    extra = {"GlobalClusterIdentifier": global_cluster} if global_cluster else {}
    rds.create_db_cluster(
        DBClusterIdentifier=name,
        Engine="aurora-postgresql",
        MasterUsername="app",
        MasterUserPassword="secret-123",
        **extra,
    )


class TwoServices:
    """Stubbed RDS and CloudWatch clients (the Aurora volume size is read from CloudWatch)."""

    def __init__(self) -> None:
        self.rds, self.cloudwatch = StubbedClients("rds"), StubbedClients("cloudwatch")

    def client(self, account: str, region: str, service: str):
        return (self.cloudwatch if service == "cloudwatch" else self.rds).stubbed


def _mutations(aws):
    return [op for (svc, op) in aws.counter.calls if svc == "rds" and not op.startswith(("Describe", "List"))]


def test_members_of_a_global_database_are_kept_with_its_regions_and_a_plain_cluster_goes(aws, account, seed):
    east, west = seed("rds", REGION), seed("rds", OTHER_REGION)
    east.create_global_cluster(GlobalClusterIdentifier="orders-global", Engine="aurora-postgresql")
    _aurora(east, "orders", "orders-global")  # the primary
    _aurora(west, "orders-eu", "orders-global")  # a secondary
    _aurora(east, "plain")
    handler = RdsDbClusterHandler(aws)

    found = {r.id: r for r in handler.discover(Location(account, REGION), [REGION])}
    assert found["orders"].attributes["global_cluster"] == {
        "id": "orders-global",
        "regions": [OTHER_REGION, REGION],
        "writer": True,
    }
    assert found["plain"].attributes["global_cluster"] is None
    primary, plain = handler.delete(Location(account, REGION), [found["orders"], found["plain"]])
    assert primary.kind is OutcomeKind.BLOCKED
    assert primary.message == (
        "primary of Aurora global database orders-global (spans eu-west-1, us-east-1): AWS deletes no"
        " member of a global database; delete the global database first (remove its secondary"
        " clusters, then the primary, then delete it), then run destroy again"
    )
    assert plain.kind is OutcomeKind.PENDING  # an ordinary cluster is deleted as ever
    assert _mutations(aws) == ["DeleteDBCluster"]  # plain's only
    assert [c["DBClusterIdentifier"] for c in east.describe_db_clusters()["DBClusters"]] == ["orders"]

    [secondary] = handler.discover(Location(account, OTHER_REGION), [REGION, OTHER_REGION])
    [result] = handler.delete(Location(account, OTHER_REGION), [secondary])
    assert result.kind is OutcomeKind.BLOCKED and result.message.startswith(
        "secondary of Aurora global database orders-global (spans eu-west-1, us-east-1)"
    )
    assert _mutations(aws) == ["DeleteDBCluster"]
    members = east.describe_global_clusters()["GlobalClusters"][0]["GlobalClusterMembers"]
    assert len(members) == 2  # nothing was taken out of the global database


def test_a_member_named_by_its_cluster_is_kept_when_the_global_databases_cannot_be_read():
    """DescribeGlobalClusters denied (Stubber): GlobalClusterIdentifier alone keeps the member."""
    stubs = TwoServices()
    stubs.rds.reply(
        "describe_db_clusters",
        {
            "DBClusters": [
                {
                    "DBClusterIdentifier": "orders",
                    "DBClusterArn": "arn:aws:rds:us-east-1:1:cluster:orders",
                    "Engine": "aurora-mysql",
                    "Status": "available",
                    "GlobalClusterIdentifier": "orders-global",
                }
            ]
        },
    )
    stubs.cloudwatch.error("get_metric_data", "AccessDenied")  # the volume size: unknown
    stubs.rds.error("describe_global_clusters", "AccessDenied")
    [cluster] = RdsDbClusterHandler(stubs).discover(Location("1", "us-east-1"), ["us-east-1"])
    assert cluster.attributes["global_cluster"] == {"id": "orders-global", "regions": None, "writer": None}
    [result] = RdsDbClusterHandler(stubs).delete(Location("1", "us-east-1"), [cluster])
    assert result.kind is OutcomeKind.BLOCKED
    assert result.message.startswith("member of Aurora global database orders-global (its regions could not")
    stubs.rds.stubber.assert_no_pending_responses()


def test_a_member_discovery_missed_is_refused_by_aws_and_fails_nothing_else():
    """Should a member go unseen, AWS refuses its delete (InvalidGlobalClusterStateFault, given
    with Stubber): reported with AWS's message, and nothing is taken out of the global database."""
    stub = StubbedClients("rds")
    stub.error(
        "delete_db_cluster",
        "InvalidGlobalClusterStateFault",
        "Unable to delete cluster that is a primary member of global cluster while there are other"
        " global cluster members",
    )
    cluster = Resource("rds:db-cluster", "orders", "1", "us-east-1")
    [result] = RdsDbClusterHandler(stub).delete(Location("1", "us-east-1"), [cluster])
    assert result.kind is OutcomeKind.FAILED and "primary member of global cluster" in result.message
    stub.stubber.assert_no_pending_responses()


def test_the_plan_holds_a_member_and_its_instances_and_a_destroy_sends_no_delete(moto_server, tmp_path):
    """Through the SDK: the member cluster and its instance are planned as blocked (a dry run says
    so), and nothing of the global database is touched; a plain cluster beside it goes."""
    moto_server.reset()
    rds = boto3.client("rds", region_name=REGION, endpoint_url=moto_server.endpoint_url)
    rds.create_global_cluster(GlobalClusterIdentifier="orders-global", Engine="aurora-postgresql")
    _aurora(rds, "orders", "orders-global")
    rds.create_db_instance(
        DBInstanceIdentifier="orders-1",
        DBClusterIdentifier="orders",
        Engine="aurora-postgresql",
        DBInstanceClass="db.r6g.large",
    )
    _aurora(rds, "plain")
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        skip_final_snapshot=True,
        wait={"budget_seconds": 60, "first_delay": 0.01, "max_delay": 0.05},
    ) as sdk:
        plan = sdk.plan(types=["rds:db-instance", "rds:db-cluster"], accounts=[sdk.whoami()])
        blocked = {b.resource.id: b.reason for b in plan.blocked}
        assert blocked["orders"].startswith("primary of Aurora global database orders-global")
        assert blocked["orders-1"].startswith(
            "an instance of cluster orders, a member of Aurora global database"
        )
        assert [r.id for r in plan.targets] == ["plain"]
        dry = sdk.destroy(plan, dry_run=True)
        assert dry.outcomes.get("blocked") == 2 and sdk.api_calls == {}
        sdk.destroy(plan, dry_run=False, yes=True)
        assert set(sdk.api_calls) == {"rds:DeleteDBCluster"}  # plain's only
    assert {c["DBClusterIdentifier"] for c in rds.describe_db_clusters()["DBClusters"]} == {"orders"}
