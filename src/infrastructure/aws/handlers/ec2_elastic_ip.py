from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:elastic-ip",
    # terminating the instance frees the association; a NAT gateway's address stays in use (and
    # cannot be released) until the gateway is deleted
    requires=("ec2:instance", "ec2:nat-gateway", "elbv2:load-balancer"),  # an NLB holds its addresses
    linked_requires=("ec2:instance",),  # discovery links each associated address to its instance
    description="Elastic IP addresses (disassociated, then released)",
)


_IN_USE = {"InvalidIPAddress.InUse", "AuthFailure"}  # AWS uses both for "still associated"
AMAZON_POOL = "amazon"  # PublicIpv4Pool of addresses from Amazon's pool


def _links(address: dict[str, Any]) -> tuple[Link, ...]:
    """An associated address is released only once what it is associated with goes: releasing it
    would take the public IP away from something the run keeps (or a NAT gateway's interface)."""
    if address.get("InstanceId"):
        return (Link("ec2:instance", address["InstanceId"], "associated with"),)
    if address.get("NetworkInterfaceId"):
        return (Link("ec2:network-interface", address["NetworkInterfaceId"], "associated with"),)
    return ()


class Ec2ElasticIpHandler(AwsHandler):
    spec = SPEC
    iam_actions = ("ec2:DescribeAddresses", "ec2:DisassociateAddress", "ec2:ReleaseAddress")

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
                        # "amazon", or the BYOIP pool the address came from (no IPv4 charge)
                        "public_ipv4_pool": address.get("PublicIpv4Pool"),
                    },
                    links=_links(address),
                )
            )
        return found

    # -- cost: every public IPv4 address bills by the hour, associated or not -----------------
    def usage(self, resource: Resource) -> Sequence[Usage]:
        """In use while associated, idle otherwise (the same hourly price, both under AmazonVPC).
        STORAGE: an address keeps billing while its instance is stopped, until it is released.
        Addresses from a pool the account brought (BYOIP) carry no public IPv4 charge."""
        attributes = resource.attributes
        associated = bool(attributes.get("association_id"))
        usage_type = "PublicIPv4:InUseAddress" if associated else "PublicIPv4:IdleAddress"
        pool = attributes.get("public_ipv4_pool")
        if pool and pool != AMAZON_POOL:
            note = f"BYOIP address (pool {pool}): no public IPv4 charge"
            return (Usage("AmazonVPC", usage_type, "Hrs", 0.0, CostPart.STORAGE, note=note),)
        note = "associated" if associated else "idle: not associated with anything"
        return (Usage("AmazonVPC", usage_type, "Hrs", 1.0, CostPart.STORAGE, note=note),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        return each(resources, lambda address: self._release(ec2, address), "ec2:ReleaseAddress")

    @staticmethod
    def _release(ec2: Any, address: Resource) -> None:
        """Release; disassociate only if AWS says the address is still in use.

        By the time this type runs its instances are terminated, which frees most associations,
        so the association seen at discovery is usually stale and costs no call.
        """
        try:
            ec2.release_address(AllocationId=address.id)
            return
        except ClientError as error:
            association = ec2.describe_addresses(AllocationIds=[address.id])["Addresses"][0].get(
                "AssociationId"
            )
            if error_code(error) not in _IN_USE or not association:
                raise
        with contextlib.suppress(ClientError):  # raced with AWS freeing it: the release decides
            ec2.disassociate_address(AssociationId=association)
        ec2.release_address(AllocationId=address.id)
