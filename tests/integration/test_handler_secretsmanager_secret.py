from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.secretsmanager_secret import SecretsManagerSecretHandler
from tests.integration.stubs import StubbedClients


def test_secrets_are_listed_with_tags_and_priced_per_secret_month(aws, location, seed):
    secrets = seed("secretsmanager")
    arn = secrets.create_secret(Name="app/db", SecretString="x", Tags=[{"Key": "team", "Value": "a"}])["ARN"]
    handler = SecretsManagerSecretHandler(aws)
    [found] = handler.discover(location, [location.region])
    assert found.id == arn and found.name == "app/db" and found.tags == {"team": "a"}
    [usage] = handler.usage(found)
    assert (usage.service, usage.usage_type, usage.unit, usage.quantity, usage.monthly) == (
        "AWSSecretsManager",
        "AWSSecretsManager-Secrets",
        "Secrets",
        1.0,
        True,
    )


def test_a_secret_is_scheduled_for_deletion_with_the_shortest_recovery_window(aws, location, seed):
    secrets = seed("secretsmanager")
    secrets.create_secret(Name="app/db", SecretString="x")
    handler = SecretsManagerSecretHandler(aws)
    found = handler.discover(location, [location.region])
    [result] = handler.delete(location, found)
    assert result.kind is OutcomeKind.DONE and "7 days" in result.message
    described = secrets.describe_secret(SecretId="app/db")
    assert "DeletedDate" in described  # scheduled, still recoverable
    assert handler.discover(location, [location.region]) == []  # no longer listed
    [again] = handler.delete(location, found)
    assert again.kind.is_success


def test_a_secret_already_deleted_is_gone(aws, location, seed):
    secrets = seed("secretsmanager")
    secrets.create_secret(Name="app/db", SecretString="x")
    handler = SecretsManagerSecretHandler(aws)
    found = handler.discover(location, [location.region])
    secrets.delete_secret(SecretId="app/db", ForceDeleteWithoutRecovery=True)
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]


def test_secrets_owned_by_a_service_and_replicas_are_not_listed():
    """moto sets neither OwningService nor replica regions: the listing is stubbed."""
    stub = StubbedClients("secretsmanager")
    stub.reply(
        "list_secrets",
        {
            "SecretList": [
                {
                    "ARN": "arn:aws:secretsmanager:us-east-1:1:secret:rds!db-1-AbCdEf",
                    "Name": "rds!db-1",
                    "OwningService": "rds",
                },
                {
                    "ARN": "arn:aws:secretsmanager:us-east-1:1:secret:copy-AbCdEf",
                    "Name": "copy",
                    "PrimaryRegion": "eu-west-1",
                },
                {
                    "ARN": "arn:aws:secretsmanager:us-east-1:1:secret:mine-AbCdEf",
                    "Name": "mine",
                    "PrimaryRegion": "us-east-1",
                },
            ]
        },
    )
    [found] = SecretsManagerSecretHandler(stub).discover(Location("1", "us-east-1"), ["us-east-1"])
    assert found.name == "mine"


def test_a_primary_loses_its_replicas_before_it_is_scheduled_for_deletion():
    """Real AWS refuses DeleteSecret on a secret with replicas (InvalidRequestException);
    moto's replication is partial, so the calls are stubbed."""
    stub = StubbedClients("secretsmanager")
    arn = "arn:aws:secretsmanager:us-east-1:1:secret:mine-AbCdEf"
    stub.reply(
        "describe_secret",
        {"ARN": arn, "ReplicationStatus": [{"Region": "eu-west-1", "Status": "InSync"}]},
        {"SecretId": arn},
    )
    stub.reply(
        "remove_regions_from_replication",
        {"ARN": arn},
        {"SecretId": arn, "RemoveReplicaRegions": ["eu-west-1"]},
    )
    stub.reply("delete_secret", {"ARN": arn}, {"SecretId": arn, "RecoveryWindowInDays": 7})
    secret = Resource("secretsmanager:secret", arn, "1", "us-east-1")
    [result] = SecretsManagerSecretHandler(stub).delete(Location("1", "us-east-1"), [secret])
    assert result.kind is OutcomeKind.DONE
    stub.stubber.assert_no_pending_responses()


def test_a_secret_already_scheduled_for_deletion_is_done():
    """What real AWS answers for a secret scheduled meanwhile (moto answers the same call with success)."""
    stub = StubbedClients("secretsmanager")
    stub.reply("describe_secret", {"Name": "x"})
    stub.error(
        "delete_secret",
        "InvalidRequestException",
        "You can't perform this operation on the secret because it was marked for deletion.",
    )
    secret = Resource("secretsmanager:secret", "arn:x", "1", "us-east-1")
    [result] = SecretsManagerSecretHandler(stub).delete(Location("1", "us-east-1"), [secret])
    assert result.kind is OutcomeKind.DONE and "already" in result.message
