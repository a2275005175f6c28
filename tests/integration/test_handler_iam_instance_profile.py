import json

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import GLOBAL_REGION, Location
from costzero.infrastructure.aws.handlers.iam_instance_profile import IamInstanceProfileHandler
from tests.integration.stubs import AsCaller

TRUST = json.dumps({"Version": "2012-10-17", "Statement": []})


def test_profiles_are_listed_with_roles_and_tags_never_the_one_holding_the_callers_role(aws, account, seed):
    iam = seed("iam")
    for name in ("app", "me"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
    iam.create_instance_profile(InstanceProfileName="web", Tags=[{"Key": "team", "Value": "a"}])
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="app")
    iam.create_instance_profile(InstanceProfileName="mine")
    iam.add_role_to_instance_profile(InstanceProfileName="mine", RoleName="me")
    iam.create_instance_profile(InstanceProfileName="empty")
    caller = AsCaller(aws, f"arn:aws:sts::{account}:assumed-role/me/i-0123456789abcdef0")
    handler = IamInstanceProfileHandler(caller)
    found = {r.id: r for r in handler.discover(Location(account, GLOBAL_REGION), ["us-east-1"])}
    assert set(found) == {"web", "empty"}
    assert found["web"].tags == {"team": "a"} and found["web"].attributes["roles"] == ["app"]


def test_a_profile_loses_its_role_and_is_deleted_then_gone(aws, account, seed):
    iam = seed("iam")
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    iam.create_instance_profile(InstanceProfileName="web")
    location = Location(account, GLOBAL_REGION)
    handler = IamInstanceProfileHandler(aws)
    found = handler.discover(location, ["us-east-1"])
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="app")  # after discovery
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.DONE]
    assert iam.list_instance_profiles()["InstanceProfiles"] == []
    assert iam.get_role(RoleName="app")["Role"]["RoleName"] == "app"  # the role stays
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]
