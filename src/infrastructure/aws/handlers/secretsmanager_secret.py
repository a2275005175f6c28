from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, tag_dict

RECOVERY_DAYS = 7  # AWS's shortest recovery window (7 to 30 days)

SPEC = ResourceTypeSpec(
    key="secretsmanager:secret",
    description=f"Secrets Manager secrets (scheduled for deletion: recoverable for {RECOVERY_DAYS} days)",
)


class SecretsManagerSecretHandler(AwsHandler):
    """Secrets, scheduled for deletion with the shortest recovery window AWS allows: each stays
    restorable (RestoreSecret) for 7 days, then AWS deletes it. Deleting without recovery
    (ForceDeleteWithoutRecovery) is not offered.

    Never listed: secrets another service owns (OwningService: RDS and Redshift master passwords
    go with their database), replicas (RemoveRegionsFromReplication deletes them: the primary's
    delete does that first), and secrets already scheduled for deletion (ListSecrets leaves them out).
    """

    spec = SPEC
    iam_actions = (
        "secretsmanager:ListSecrets",
        "secretsmanager:DescribeSecret",
        "secretsmanager:RemoveRegionsFromReplication",
        "secretsmanager:DeleteSecret",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("list_secrets").paginate():
            for secret in page["SecretList"]:
                if secret.get("OwningService") or secret.get("PrimaryRegion") not in (None, location.region):
                    continue
                found.append(
                    self.resource(
                        location,
                        secret["ARN"],
                        name=secret.get("Name"),
                        tags=tag_dict(secret.get("Tags")),
                        created_at=secret.get("CreatedDate"),
                        attributes={"primary_region": secret.get("PrimaryRegion")},
                    )
                )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """$0.40 per secret-month (first tier); each replica bills as a secret of its own, in its
        region: not counted here. API requests bill per use."""
        return (
            Usage(
                "AWSSecretsManager",
                "AWSSecretsManager-Secrets",
                "Secrets",
                1.0,
                CostPart.STORAGE,
                monthly=True,
                note="1 secret",
            ),
        )

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        secrets = self.client(location)

        def delete(secret: Resource) -> ResourceOutcome:
            try:
                # a primary with replicas cannot be deleted; ListSecrets does not show them
                replicas = [
                    r["Region"]
                    for r in secrets.describe_secret(SecretId=secret.id).get("ReplicationStatus", [])
                    if "Region" in r
                ]
                if replicas:
                    secrets.remove_regions_from_replication(SecretId=secret.id, RemoveReplicaRegions=replicas)
                secrets.delete_secret(SecretId=secret.id, RecoveryWindowInDays=RECOVERY_DAYS)
            except ClientError as error:
                # "... because it was marked for deletion" (moto: "... currently marked deleted")
                if error_code(error) == "InvalidRequestException" and "marked" in error_message(error):
                    return done(secret.id, "already scheduled for deletion")
                return outcome(secret.id, error, "secretsmanager:DeleteSecret")
            return done(
                secret.id,
                f"scheduled for deletion in {RECOVERY_DAYS} days; until then `aws secretsmanager "
                "restore-secret` brings it back",
            )

        return each(resources, delete, "secretsmanager:DeleteSecret")
