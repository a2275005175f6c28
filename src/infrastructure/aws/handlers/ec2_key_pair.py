from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:key-pair",
    description="EC2 key pairs (free, but clutter and a security liability)",
)


class Ec2KeyPairHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        pairs = self.client(location).describe_key_pairs()["KeyPairs"]
        return [
            self.resource(
                location,
                pair.get("KeyPairId") or pair["KeyName"],
                name=pair["KeyName"],
                tags=tag_dict(pair.get("Tags")),
                created_at=pair.get("CreateTime"),
            )
            for pair in pairs
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        outcomes = []
        for pair in resources:  # AWS has no batch delete for key pairs
            try:
                ec2.delete_key_pair(KeyName=pair.name or pair.id)
                outcomes.append(done(pair.id))
            except ClientError as error:
                outcomes.append(outcome(pair.id, error, "ec2:DeleteKeyPair"))
        return outcomes
