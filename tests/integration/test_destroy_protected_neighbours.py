"""What sits around a database the destroy leaves (deletion protection) is blocked at once, over HTTP.

A PostgreSQL instance with deletion protection in a DB subnet group of two subnets of a VPC, with its
own security group. AWS refuses to delete those subnets and that group while the database exists
(DependencyViolation, which moto does not enforce); its interfaces name no one, so the subnets and the
group are linked to the database from RDS's side, and when the run leaves the database they are
blocked without a call instead of waiting out AWS's "not yet" until the budget ends.
"""

from __future__ import annotations

import boto3
import pytest

from costzero.presentation.sdk import CostZero
from tests.integration import vpc_shapes

REGION = "us-east-1"
TYPES = ["rds:db-instance", "rds:db-subnet-group", "ec2:security-group", "ec2:subnet", "ec2:vpc"]


@pytest.fixture
def protected_database(moto_server):
    moto_server.reset()
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=moto_server.endpoint_url)
    rds = boto3.client("rds", region_name=REGION, endpoint_url=moto_server.endpoint_url)
    vpc = vpc_shapes.vpc(ec2)
    subnets = [
        vpc_shapes.subnet(ec2, vpc, "10.1.1.0/24", "us-east-1a"),
        vpc_shapes.subnet(ec2, vpc, "10.1.2.0/24", "us-east-1b"),
    ]
    group = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
    rds.create_db_subnet_group(DBSubnetGroupName="db", DBSubnetGroupDescription="db", SubnetIds=subnets)
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="app",
        MasterUserPassword="password123",
        DBSubnetGroupName="db",
        VpcSecurityGroupIds=[group],
        DeletionProtection=True,
    )
    return {"vpc": vpc, "subnets": subnets, "group": group}


def test_the_subnets_and_group_of_a_protected_database_are_blocked_without_a_call(
    moto_server, protected_database, tmp_path
):
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        wait={"budget_seconds": 60, "first_delay": 0.01, "max_delay": 0.05},
    ) as sdk:
        plan = sdk.plan(types=TYPES, accounts=[sdk.whoami()])
        # known at discovery: the database is planned as protected, what it holds as blocked
        assert [(p.resource.id, p.reason) for p in plan.protected] == [
            ("orders", "deletion protection on; --disable-protection rds:db-instance to delete it")
        ]
        blocked = {b.resource.id: b.reason for b in plan.blocked}
        held = (*protected_database["subnets"], protected_database["group"])
        assert all(blocked[h].startswith("used by orders, which is kept (protected: ") for h in held)
        assert protected_database["vpc"] in blocked and "rds:db-subnet-group" not in {
            r.type_key for r in plan.targets
        }
        dry = sdk.destroy(plan, dry_run=True)
        assert dry.outcomes.get("protected") == 1 and sdk.api_calls == {}

        result = sdk.destroy(plan, dry_run=False, yes=True)
        assert not result.ok
        outcomes = {(a["resource_id"], a["outcome"]) for a in sdk.run(result.run_id)["actions"]}
        assert ("orders", "protected") in outcomes
        for resource in (*held, protected_database["vpc"]):
            assert (resource, "blocked") in outcomes, resource
        assert not {
            "ec2:DeleteSubnet",
            "ec2:DeleteSecurityGroup",
            "ec2:DeleteVpc",
            "rds:DeleteDBInstance",
        } & set(sdk.api_calls)
