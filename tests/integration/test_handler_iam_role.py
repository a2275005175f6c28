import json

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import GLOBAL_REGION, Link, Location, Resource
from costzero.infrastructure.aws.handler_kit.iam import Caller
from costzero.infrastructure.aws.handlers.iam_role import IamRoleHandler
from tests.integration.stubs import AsCaller, StubbedClients

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)
POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
)


def role(iam, name, path="/", **extra):
    return iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=TRUST, **extra)["Role"]


def test_roles_are_listed_with_tags_and_profile_links_never_aws_ones_or_the_callers(aws, account, seed):
    iam = seed("iam")
    role(iam, "app", Tags=[{"Key": "team", "Value": "a"}])
    role(iam, "me")
    role(iam, "sso", path="/aws-reserved/sso.amazonaws.com/")
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    iam.create_instance_profile(InstanceProfileName="web")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="app")
    caller = AsCaller(aws, f"arn:aws:sts::{account}:assumed-role/me/session-1")
    found = {
        r.id: r for r in IamRoleHandler(caller).discover(Location(account, GLOBAL_REGION), ["us-east-1"])
    }
    assert set(found) == {"app"}
    assert found["app"].tags == {"team": "a"} and found["app"].region == GLOBAL_REGION
    assert found["app"].links == (Link("iam:instance-profile", "web", "in instance profile"),)


def test_the_callers_role_and_user_are_read_from_its_arn():
    assert Caller.of("arn:aws:sts::1:assumed-role/admin/me@example.com").role == "admin"
    assert Caller.of("arn:aws:iam::1:user/ops/alice").user == "alice"
    assert Caller.of("arn:aws:iam::1:root") == Caller("arn:aws:iam::1:root")


def test_a_role_is_stripped_and_deleted_then_gone(aws, account, seed):
    iam = seed("iam")
    role(iam, "app")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=POLICY)["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="app", PolicyArn=arn)
    iam.put_role_policy(RoleName="app", PolicyName="inline", PolicyDocument=POLICY)
    location = Location(account, GLOBAL_REGION)
    handler = IamRoleHandler(aws)
    [found] = [r for r in handler.discover(location, ["us-east-1"]) if r.id == "app"]
    iam.create_instance_profile(InstanceProfileName="later")
    iam.add_role_to_instance_profile(InstanceProfileName="later", RoleName="app")  # after discovery
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.DONE]
    assert [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"] == "app"] == []
    assert iam.get_instance_profile(InstanceProfileName="later")["InstanceProfile"]["Roles"] == []
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 0  # detached, not deleted
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.GONE]


def _empty_role_lists(stub, name):
    for operation, key in (
        ("list_instance_profiles_for_role", "InstanceProfiles"),
        ("list_attached_role_policies", "AttachedPolicies"),
        ("list_role_policies", "PolicyNames"),
    ):
        stub.reply(operation, {key: [], "IsTruncated": False}, {"RoleName": name})


def test_a_role_attached_meanwhile_is_not_yet_deleted():
    """Real IAM refuses DeleteRole while a policy or profile still holds the role (DeleteConflict);
    moto deletes it anyway, so the error is injected."""
    stub = StubbedClients("iam")
    _empty_role_lists(stub, "app")
    stub.error("delete_role", "DeleteConflict", "Cannot delete entity, must detach all policies first.")
    [result] = IamRoleHandler(stub).delete(
        Location("1", GLOBAL_REGION), [Resource("iam:role", "app", "1", "global")]
    )
    assert result.kind is OutcomeKind.NOT_YET


def test_a_role_aws_will_not_let_us_delete_is_protected():
    """A service-linked role reached by name (never listed) answers UnmodifiableEntity in real IAM."""
    stub = StubbedClients("iam")
    _empty_role_lists(stub, "linked")
    stub.error("delete_role", "UnmodifiableEntity", "Cannot perform the operation on the protected role")
    [result] = IamRoleHandler(stub).delete(
        Location("1", GLOBAL_REGION), [Resource("iam:role", "linked", "1", "global")]
    )
    assert result.kind is OutcomeKind.PROTECTED
