import json

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import GLOBAL_REGION, Link, Location, Resource
from costzero.infrastructure.aws.handlers.iam_policy import IamPolicyHandler
from tests.integration.stubs import AsCaller, StubbedClients

TRUST = json.dumps({"Version": "2012-10-17", "Statement": []})
DOCUMENT = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
)


def policy(iam, name, **extra):
    return iam.create_policy(PolicyName=name, PolicyDocument=DOCUMENT, **extra)["Policy"]["Arn"]


def test_customer_policies_are_listed_with_links_to_their_roles_and_users_never_the_callers(
    aws, account, seed
):
    iam = seed("iam")
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    iam.create_user(UserName="bob")
    iam.create_user(UserName="me")
    iam.create_group(GroupName="ops")
    iam.add_user_to_group(GroupName="ops", UserName="me")
    used = policy(iam, "used", Tags=[{"Key": "team", "Value": "a"}])
    iam.attach_role_policy(RoleName="app", PolicyArn=used)
    iam.attach_user_policy(UserName="bob", PolicyArn=used)
    free = policy(iam, "free")
    mine, ours = policy(iam, "mine"), policy(iam, "ours")
    iam.attach_user_policy(UserName="me", PolicyArn=mine)
    iam.attach_group_policy(GroupName="ops", PolicyArn=ours)
    caller = AsCaller(aws, f"arn:aws:iam::{account}:user/me")
    found = {
        r.name: r for r in IamPolicyHandler(caller).discover(Location(account, GLOBAL_REGION), ["us-east-1"])
    }
    assert set(found) == {"used", "free"}  # no AWS-managed policy, nothing the caller holds
    assert found["used"].id == used and found["used"].tags == {"team": "a"}
    assert set(found["used"].links) == {
        Link("iam:role", "app", "attached to"),
        Link("iam:user", "bob", "attached to"),
    }
    assert found["free"].id == free and found["free"].links == ()


def test_a_policy_is_detached_its_versions_deleted_then_it_is_gone(aws, account, seed):
    iam = seed("iam")
    iam.create_group(GroupName="ops")
    arn = policy(iam, "p")
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOCUMENT, SetAsDefault=True)
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOCUMENT, SetAsDefault=False)
    iam.attach_group_policy(GroupName="ops", PolicyArn=arn)
    location = Location(account, GLOBAL_REGION)
    handler = IamPolicyHandler(aws)
    found = handler.discover(location, ["us-east-1"])
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.DONE]
    assert iam.list_policies(Scope="Local")["Policies"] == []
    assert iam.list_attached_group_policies(GroupName="ops")["AttachedPolicies"] == []
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]


def test_a_policy_attached_meanwhile_is_not_yet_deleted():
    """Real IAM refuses DeletePolicy while the policy is attached or has other versions
    (DeleteConflict); moto deletes it anyway, so the error is injected."""
    stub = StubbedClients("iam")
    arn = "arn:aws:iam::1:policy/p"
    stub.reply(
        "list_entities_for_policy",
        {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": [], "IsTruncated": False},
    )
    stub.reply("list_policy_versions", {"Versions": [], "IsTruncated": False})
    stub.error("delete_policy", "DeleteConflict", "Cannot delete a policy attached to entities.")
    [result] = IamPolicyHandler(stub).delete(
        Location("1", GLOBAL_REGION), [Resource("iam:policy", arn, "1", "global")]
    )
    assert result.kind is OutcomeKind.NOT_YET
