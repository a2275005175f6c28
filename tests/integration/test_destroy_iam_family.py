"""A destroy of the IAM family end to end over HTTP: profiles before their roles, policies after the
roles and users holding them, and a kept role holding back the customer policy attached to it."""

from __future__ import annotations

import json

import boto3

from costzero.presentation.sdk import CostZero

REGION = "us-east-1"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": []})
DOCUMENT = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
)
TYPES = ["iam:instance-profile", "iam:role", "iam:policy", "iam:user"]


def test_the_iam_family_is_destroyed_in_order_and_what_a_kept_role_holds_stays(moto_server, tmp_path):
    moto_server.reset()
    iam = boto3.client("iam", region_name=REGION, endpoint_url=moto_server.endpoint_url)
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    iam.create_role(RoleName="kept", AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "keep", "Value": "true"}])
    iam.create_instance_profile(InstanceProfileName="web")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="app")
    shared = iam.create_policy(PolicyName="shared", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
    held = iam.create_policy(PolicyName="held", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="app", PolicyArn=shared)
    iam.put_role_policy(RoleName="app", PolicyName="inline", PolicyDocument=DOCUMENT)
    iam.attach_role_policy(RoleName="kept", PolicyArn=held)
    iam.create_user(UserName="bob")
    iam.create_access_key(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn=shared)
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        exclude_tags=["keep=true"],
        wait={"budget_seconds": 60, "first_delay": 0.01, "max_delay": 0.05},
    ) as sdk:
        plan = sdk.plan(types=TYPES, accounts=[sdk.whoami()])
        assert {b.resource.id: b.reason for b in plan.blocked} == {
            held: "attached to kept, which is kept (tag keep=true)"
        }
        result = sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok is False  # the kept role held "held" back: reported, the run is not ok
    assert result.deleted == 4, result.task_reasons  # web, app, shared, bob
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["kept"]
    assert iam.list_instance_profiles()["InstanceProfiles"] == []
    assert [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]] == ["held"]
    assert iam.list_attached_role_policies(RoleName="kept")["AttachedPolicies"][0]["PolicyArn"] == held
    assert iam.list_users()["Users"] == []
