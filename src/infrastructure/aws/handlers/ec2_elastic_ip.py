from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handlers.base import AwsHandler, done, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:elastic-ip",
    requires=("ec2:instance",),  # terminating the instance frees the association
    description="Elastic IP addresses (disassociated, then released)",
)


class Ec2ElasticIpHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        addresses = self.client(location).describe_addresses()["Addresses"]  # not paginated
        found = []
        for address in addresses:
            if "AllocationId" not in address:
                continue  # EC2-Classic addresses no longer exist
            tags = tag_dict(address.get("Tags"))
            found.append(
                self.resource(
                    location,
                    address["AllocationId"],
                    name=tags.get("Name") or address.get("PublicIp"),
                    tags=tags,
                    attributes={
                        "public_ip": address.get("PublicIp"),
                        "association_id": address.get("AssociationId"),
                        "instance_id": address.get("InstanceId"),
                    },
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        outcomes = []
        for address in resources:
            association = address.attributes.get("association_id")
            try:
                if association:
                    self._disassociate(ec2, str(association))
                ec2.release_address(AllocationId=address.id)
                outcomes.append(done(address.id))
            except ClientError as error:
                outcomes.append(outcome(address.id, error, "ec2:ReleaseAddress"))
        return outcomes

    @staticmethod
    def _disassociate(ec2: object, association_id: str) -> None:
        try:
            ec2.disassociate_address(AssociationId=association_id)  # type: ignore[attr-defined]
        except ClientError as error:
            # Already disassociated (e.g. the instance was terminated since discovery) is fine.
            if outcome(association_id, error).kind is not OutcomeKind.GONE:
                raise
