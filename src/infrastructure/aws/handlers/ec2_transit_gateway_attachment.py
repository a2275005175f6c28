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
    description=(
        "Transit gateway VPC and peering attachments (deleted, or a peering request from "
        "elsewhere rejected; then waited for until 'deleted')"
    ),
)
_ENDED = frozenset({"deleted", "failed", "rejected"})
ATTACHMENT_HOURS = "TransitGateway-Hours"  # AmazonVPC, one per attachment-hour, whatever attaches
# kind -> (describe operation, its items key, the delete call)
_KINDS = {
    "vpc": (
        "describe_transit_gateway_vpc_attachments",
        "TransitGatewayVpcAttachments",
        "delete_transit_gateway_vpc_attachment",
    ),
    "peering": (
        "describe_transit_gateway_peering_attachments",
        "TransitGatewayPeeringAttachments",
        "delete_transit_gateway_peering_attachment",
    ),
}


def _state(attachment: Mapping[str, Any]) -> str:
    return str(attachment.get("State", ""))


def _is_kind(kind: str, attachment: Mapping[str, Any]) -> bool:
    """AWS lists each kind in its own call; moto lists every kind in both: told apart by shape."""
    return bool(attachment.get("VpcId") if kind == "vpc" else attachment.get("RequesterTgwInfo"))


def _attributes(kind: str, attachment: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "vpc":
        return {
            "kind": kind,
            "state": _state(attachment),
            "transit_gateway_id": attachment.get("TransitGatewayId"),
            "vpc_id": attachment.get("VpcId"),
            "vpc_owner": attachment.get("VpcOwnerId"),
            "subnet_ids": list(attachment.get("SubnetIds", [])),
        }
    requester, accepter = attachment.get("RequesterTgwInfo", {}), attachment.get("AccepterTgwInfo", {})
    return {
        "kind": kind,
        "state": _state(attachment),
        "transit_gateway_id": requester.get("TransitGatewayId"),
        "requester": {"owner": requester.get("OwnerId"), "region": requester.get("Region")},
        "peer_transit_gateway_id": accepter.get("TransitGatewayId"),
        "peer": {"owner": accepter.get("OwnerId"), "region": accepter.get("Region")},
    }


class Ec2TransitGatewayAttachmentHandler(AwsHandler):
    """VPC and peering attachments. A VPN connection's attachment goes with the connection
    (ec2:vpn-connection); Connect and Direct Connect gateway attachments are not handled:
    ec2:transit-gateway is then refused by AWS and answers NOT_YET, naming them."""

    spec = SPEC
    iam_actions = (
        "ec2:DescribeTransitGatewayVpcAttachments",
        "ec2:DeleteTransitGatewayVpcAttachment",
        "ec2:DescribeTransitGatewayPeeringAttachments",
        "ec2:DeleteTransitGatewayPeeringAttachment",
        "ec2:RejectTransitGatewayPeeringAttachment",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ec2 = self.client(location)
        found = []
        for kind, (operation, items_key, _) in _KINDS.items():
            for page in ec2.get_paginator(operation).paginate():
                for attachment in page[items_key]:
                    if _state(attachment) in _ENDED or not _is_kind(kind, attachment):
                        continue
                    tags = tag_dict(attachment.get("Tags"))
                    found.append(
                        self.resource(
                            location,
                            attachment["TransitGatewayAttachmentId"],
                            name=tags.get("Name"),
                            tags=tags,
                            created_at=attachment.get("CreationTime"),
                            attributes=_attributes(kind, attachment),
                        )
                    )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """One attachment-hour per hour. A VPC attachment bills the VPC's owner (a transit
        gateway's owner pays nothing for another account's VPC attached to it); a peering
        attachment bills each side's owner (listed, and priced, on each side)."""
        attributes = resource.attributes
        owner = attributes.get("vpc_owner")
        if attributes.get("state") == "pendingAcceptance":
            return (Usage("AmazonVPC", ATTACHMENT_HOURS, "Hrs", 0.0, note="not accepted yet: not billed"),)
        if owner and owner != resource.account:
            note = f"billed to the VPC's owner {owner}"
            return (Usage("AmazonVPC", ATTACHMENT_HOURS, "Hrs", 0.0, note=note),)
        return (
            Usage(
                "AmazonVPC",
                ATTACHMENT_HOURS,
                "Hrs",
                1.0,
                note=f"1 {attributes.get('kind', 'vpc')} attachment",
            ),
        )

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)

        def delete(attachment: Resource) -> ResourceOutcome:
            kind = attachment.attributes.get("kind", "vpc")
            if kind == "peering" and self._to_reject(location, attachment):
                # only the requester deletes a request not yet accepted; the other side rejects it
                ec2.reject_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment.id)
                return pending(attachment.id, "rejecting (a peering request from elsewhere)")
            # IncorrectState while it is still being created or modified -> not yet
            getattr(ec2, _KINDS[kind][2])(TransitGatewayAttachmentId=attachment.id)
            return pending(attachment.id, "deleting")

        outcomes: list[ResourceOutcome] = []
        for kind, (_, _, call) in _KINDS.items():
            of_kind = [r for r in resources if r.attributes.get("kind", "vpc") == kind]
            outcomes.extend(each(of_kind, delete, f"ec2:{ec2.meta.method_to_api_mapping[call]}"))
        return outcomes

    @staticmethod
    def _to_reject(location: Location, attachment: Resource) -> bool:
        requester = attachment.attributes.get("requester") or {}
        is_requester = requester.get("owner") == location.account and requester.get("region") in (
            None,
            location.region,
        )
        return attachment.attributes.get("state") == "pendingAcceptance" and not is_requester

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        listed: dict[str, Mapping[str, Any]] = {}
        for kind, (operation, items_key, _) in _KINDS.items():
            ids = [r.id for r in resources if r.attributes.get("kind", "vpc") == kind]
            if ids:
                found = described(
                    ec2,
                    operation,
                    items_key,
                    "TransitGatewayAttachmentId",
                    "transit-gateway-attachment-id",
                    ids,
                )
                listed.update({i: item for i, item in found.items() if i in ids})
        return confirmed(resources, listed, _state, _ENDED)
