from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.kms_key import KmsKeyHandler
from tests.integration.stubs import StubbedClients


def test_customer_keys_enabled_or_disabled_are_listed_with_aliases_and_tags(aws, location, seed):
    kms = seed("kms")
    enabled = kms.create_key(Tags=[{"TagKey": "team", "TagValue": "a"}])["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=enabled)
    disabled = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.disable_key(KeyId=disabled)
    scheduled = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=scheduled, PendingWindowInDays=7)
    handler = KmsKeyHandler(aws)
    found = {r.id: r for r in handler.discover(location, [location.region])}
    assert set(found) == {enabled, disabled}  # not the one already scheduled, no AWS-managed key
    assert found[enabled].name == "alias/app" and found[enabled].tags == {"team": "a"}
    assert found[disabled].attributes["state"] == "Disabled"
    [usage] = handler.usage(found[enabled])
    assert (usage.service, usage.usage_type, usage.unit, usage.quantity) == (
        "awskms",
        "KMS-Keys",
        "Keys",
        1.0,
    )


def test_a_key_loses_its_aliases_and_is_scheduled_for_deletion(aws, location, seed):
    kms = seed("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=key)
    handler = KmsKeyHandler(aws)
    found = handler.discover(location, [location.region])
    [result] = handler.delete(location, found)
    assert result.kind is OutcomeKind.DONE and "7 days" in result.message
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert [a for a in kms.list_aliases()["Aliases"] if a["AliasName"] == "alias/app"] == []
    assert handler.discover(location, [location.region]) == []
    [again] = handler.delete(location, found)  # moto schedules it again; real KMS: see below
    assert again.kind is OutcomeKind.DONE


def test_a_key_already_pending_deletion_is_done():
    """Real KMS refuses ScheduleKeyDeletion on a key pending deletion (KMSInvalidStateException);
    moto accepts it, so the error is injected."""
    stub = StubbedClients("kms")
    stub.error(
        "schedule_key_deletion",
        "KMSInvalidStateException",
        "arn:aws:kms:us-east-1:1:key/k is pending deletion.",
    )
    stub.reply("describe_key", {"KeyMetadata": {"KeyId": "k", "KeyState": "PendingDeletion"}})
    [result] = KmsKeyHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("kms:key", "k", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.DONE and "already" in result.message


def test_a_key_in_another_state_is_not_deleted_and_says_why():
    stub = StubbedClients("kms")
    stub.error(
        "schedule_key_deletion",
        "KMSInvalidStateException",
        "arn:aws:kms:us-east-1:1:key/k is pending import.",
    )
    stub.reply("describe_key", {"KeyMetadata": {"KeyId": "k", "KeyState": "PendingImport"}})
    [result] = KmsKeyHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("kms:key", "k", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.FAILED and "pending import" in result.message


def test_aws_managed_keys_are_never_listed():
    """moto creates no AWS-managed keys: the listing is stubbed."""
    stub = StubbedClients("kms")
    stub.reply("list_keys", {"Keys": [{"KeyId": "managed"}], "Truncated": False})
    stub.reply(
        "describe_key", {"KeyMetadata": {"KeyId": "managed", "KeyManager": "AWS", "KeyState": "Enabled"}}
    )
    stub.reply("list_aliases", {"Aliases": [], "Truncated": False})
    assert KmsKeyHandler(stub).discover(Location("1", "us-east-1"), ["us-east-1"]) == []


def test_a_key_that_vanished_is_gone():
    stub = StubbedClients("kms")
    stub.error("schedule_key_deletion", "NotFoundException", "Key 'x' does not exist")
    [result] = KmsKeyHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("kms:key", "x", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.GONE
