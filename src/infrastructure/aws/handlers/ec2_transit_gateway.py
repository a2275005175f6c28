from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, pending, tag_dict
from costzero.infrastructure.aws.handler_kit.ec2_states import confirmed, described

SPEC = ResourceTypeSpec(
    key="ec2:transit-gateway",
    requires=(
        # DeleteTransitGateway fails (IncorrectState, naming them) while any attachment remains
        "ec2:transit-gateway-attachment",
        # a VPN connection on the gateway is an attachment that only deleting the connection removes
        "ec2:vpn-connection",
    ),
    transition_seconds=120.0,  # deleting -> deleted, a few minutes
    description="Transit gateways this account owns (after their attachments; waited for until 'deleted')",
)
_ENDED = frozenset({"deleted"})


def _state(gateway: Mapping[str, Any]) -> str:
    return str(gateway.get("State", ""))


class Ec2TransitGatewayHandler(AwsHandler):
    spec = SPEC
    free_because = (
        "a transit gateway has no charge of its own: each attachment bills hourly "
        "(ec2:transit-gateway-attachment, ec2:vpn-connection) and traffic per GB"
    )
    iam_actions = ("ec2:DescribeTransitGateways", "ec2:DeleteTransitGateway")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_transit_gateways").paginate():
            for gateway in page["TransitGateways"]:
                # shared with this account through RAM: only its owner can delete it
                if _state(gateway) in _ENDED or gateway.get("OwnerId", location.account) != location.account:
                    continue
                tags = tag_dict(gateway.get("Tags"))
                found.append(
                    self.resource(
                        location,
                        gateway["TransitGatewayId"],
                        name=tags.get("Name"),
                        tags=tags,
                        created_at=gateway.get("CreationTime"),
                        attributes={"state": _state(gateway), "description": gateway.get("Description")},
                    )
                )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)

        def delete(gateway: Resource) -> ResourceOutcome:
            # IncorrectState "... has non-deleted Transit Gateway Attachments: tgw-attach-..." -> not
            # yet, and blocked if this run does not delete the attachments it names
            ec2.delete_transit_gateway(TransitGatewayId=gateway.id)
            return pending(gateway.id, "deleting")

        return each(resources, delete, "ec2:DeleteTransitGateway")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        listed = described(
            self.client(location),
            "describe_transit_gateways",
            "TransitGateways",
            "TransitGatewayId",
            "transit-gateway-id",
            [r.id for r in resources],
        )
        return confirmed(resources, listed, _state, _ENDED)
