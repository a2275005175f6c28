from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costzero.domain.costing import Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, pending, tag_dict
from costzero.infrastructure.aws.handler_kit.ec2_states import confirmed, described

SPEC = ResourceTypeSpec(
    key="ec2:transit-gateway-attachment",
    transition_seconds=60.0,  # deleting -> deleted, typically a minute or two
    description="Transit gateway VPC attachments (deleted, then waited for until 'deleted')",
)
_ENDED = frozenset({"deleted", "failed", "rejected"})
ATTACHMENT_HOURS = "TransitGateway-Hours"  # AmazonVPC, one per attachment-hour, whatever attaches


def _state(attachment: Mapping[str, Any]) -> str:
    return str(attachment.get("State", ""))


class Ec2TransitGatewayAttachmentHandler(AwsHandler):
    """VPC attachments only. A VPN connection's attachment goes with the connection
    (ec2:vpn-connection); peering, Connect and Direct Connect gateway attachments are not handled:
    ec2:transit-gateway is then refused by AWS and answers NOT_YET, naming them."""

    spec = SPEC
    iam_actions = ("ec2:DescribeTransitGatewayVpcAttachments", "ec2:DeleteTransitGatewayVpcAttachment")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        pages = self.client(location).get_paginator("describe_transit_gateway_vpc_attachments").paginate()
        for page in pages:
            for attachment in page["TransitGatewayVpcAttachments"]:
                # AWS lists VPC attachments only; moto lists every kind here (a VPN's has no VpcId)
                if _state(attachment) in _ENDED or not attachment.get("VpcId"):
                    continue
                tags = tag_dict(attachment.get("Tags"))
                found.append(
                    self.resource(
                        location,
                        attachment["TransitGatewayAttachmentId"],
                        name=tags.get("Name"),
                        tags=tags,
                        created_at=attachment.get("CreationTime"),
                        attributes={
                            "state": _state(attachment),
                            "transit_gateway_id": attachment.get("TransitGatewayId"),
                            "vpc_id": attachment.get("VpcId"),
                            "vpc_owner": attachment.get("VpcOwnerId"),
                            "subnet_ids": list(attachment.get("SubnetIds", [])),
                        },
                    )
                )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """One attachment-hour per hour, billed to the VPC's owner (a transit gateway's owner pays
        nothing for another account's VPC attached to it)."""
        owner = resource.attributes.get("vpc_owner")
        if resource.attributes.get("state") == "pendingAcceptance":
            return (Usage("AmazonVPC", ATTACHMENT_HOURS, "Hrs", 0.0, note="not accepted yet: not billed"),)
        if owner and owner != resource.account:
            return (
                Usage("AmazonVPC", ATTACHMENT_HOURS, "Hrs", 0.0, note=f"billed to the VPC's owner {owner}"),
            )
        return (Usage("AmazonVPC", ATTACHMENT_HOURS, "Hrs", 1.0, note="1 VPC attachment"),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)

        def delete(attachment: Resource) -> ResourceOutcome:
            # IncorrectState while it is still being created or modified -> not yet
            ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment.id)
            return pending(attachment.id, "deleting")

        return each(resources, delete, "ec2:DeleteTransitGatewayVpcAttachment")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        listed = described(
            self.client(location),
            "describe_transit_gateway_vpc_attachments",
            "TransitGatewayVpcAttachments",
            "TransitGatewayAttachmentId",
            "transit-gateway-attachment-id",
            [r.id for r in resources],
        )
        return confirmed(resources, listed, _state, _ENDED)
