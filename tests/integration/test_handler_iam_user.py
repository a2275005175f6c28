"""IAM users over the moto server. moto 5 has no ListServiceSpecificCredentials: the embedded server
answers it (no credentials; moto cannot create any), see `moto_server._iam_service_specific_credentials`."""

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import GLOBAL_REGION, Location, Resource
from costzero.infrastructure.aws.handlers.iam_user import IamUserHandler
from tests.integration.stubs import AsCaller, StubbedClients

DOCUMENT = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
SSH_KEY = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDEGVe8l4c1qj2yqjrX6LBrtfFUVxlZbnQ/nFYmUxeiT0bV1oCMwvz5"
    "v4y8hxD2IaqV+BV9YCzbHzdH3p1E3cFaeZ8IcpFKSo2lrG5t8Xx6cQGsjwkS6xmjN4iKzq1yBDrw8a5pBQ/0SBgsLzKIXvNk"
    "cbzXJx7GUszcRa5+6nZz6vVbJ9X5IU7ep2nfLXFoQx6kFKCsjzhuL9Rj8LR3JGHQHO3aJY9rX3UXKz6sHJeFcl2KqF6rc4s"
    "Y4u5o7hPp4tlfqHnSYHhV7YBTxMvIMAHmSzpbZrKk5gWj0gYUPKLQr7rb1S0SPfkgZEmO+3Hq1tNeVQLFCkgXoDJL4czOe3s"
    "ZHY9 test"
)


def test_users_are_listed_with_tags_never_the_caller(aws, account, seed):
    iam = seed("iam")
    iam.create_user(UserName="bob", Tags=[{"Key": "team", "Value": "a"}])
    iam.create_user(UserName="alice", Path="/ops/")
    caller = AsCaller(aws, f"arn:aws:iam::{account}:user/ops/alice")
    found = {
        r.id: r for r in IamUserHandler(caller).discover(Location(account, GLOBAL_REGION), ["us-east-1"])
    }
    assert set(found) == {"bob"} and found["bob"].tags == {"team": "a"}


def test_a_user_is_stripped_of_everything_and_deleted_then_gone(aws, account, seed):
    iam = seed("iam")
    iam.create_user(UserName="bob")
    iam.create_access_key(UserName="bob")
    iam.create_login_profile(UserName="bob", Password="Secret-12345!")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob-mfa")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="bob", SerialNumber=device, AuthenticationCode1="123456", AuthenticationCode2="654321"
    )
    iam.upload_ssh_public_key(UserName="bob", SSHPublicKeyBody=SSH_KEY)
    iam.create_group(GroupName="ops")
    iam.add_user_to_group(GroupName="ops", UserName="bob")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=DOCUMENT)["Policy"]["Arn"]
    iam.attach_user_policy(UserName="bob", PolicyArn=arn)
    iam.put_user_policy(UserName="bob", PolicyName="inline", PolicyDocument=DOCUMENT)
    location = Location(account, GLOBAL_REGION)
    handler = IamUserHandler(aws)
    found = [r for r in handler.discover(location, ["us-east-1"]) if r.id == "bob"]
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.DONE]
    assert [u["UserName"] for u in iam.list_users()["Users"]] == []
    assert iam.get_group(GroupName="ops")["Users"] == []
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]


def test_a_user_given_a_new_key_meanwhile_is_not_yet_deleted():
    """Real IAM refuses DeleteUser while anything is attached (DeleteConflict); moto deletes the
    user anyway, so the error is injected after an empty strip."""
    stub = StubbedClients("iam")
    for operation, key in (
        ("list_access_keys", "AccessKeyMetadata"),
        ("delete_login_profile", None),
        ("list_mfa_devices", "MFADevices"),
        ("list_signing_certificates", "Certificates"),
        ("list_ssh_public_keys", "SSHPublicKeys"),
        ("list_service_specific_credentials", "ServiceSpecificCredentials"),
        ("list_groups_for_user", "Groups"),
        ("list_attached_user_policies", "AttachedPolicies"),
        ("list_user_policies", "PolicyNames"),
    ):
        if key is None:
            stub.error(operation, "NoSuchEntity", "no login profile")
        else:
            stub.reply(
                operation,
                {key: [], "IsTruncated": False} if key != "ServiceSpecificCredentials" else {key: []},
            )
    stub.error("delete_user", "DeleteConflict", "Cannot delete entity, must delete access keys first.")
    [result] = IamUserHandler(stub).delete(
        Location("1", GLOBAL_REGION), [Resource("iam:user", "bob", "1", "global")]
    )
    assert result.kind is OutcomeKind.NOT_YET
