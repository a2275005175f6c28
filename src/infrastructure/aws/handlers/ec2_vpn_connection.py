from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costzero.domain.costing import Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, pending, tag_dict
from costzero.infrastructure.aws.handler_kit.ec2_states import confirmed, described

SPEC = ResourceTypeSpec(
    key="ec2:vpn-connection",
    transition_seconds=60.0,  # deleting -> deleted
    description="Site-to-Site VPN connections (deleted, then waited for until 'deleted')",
)
_ENDED = frozenset({"deleted"})
CONNECTION_HOURS = "VPN-Usage-Hours:ipsec.1"  # AmazonVPC, one per connection-hour (its two tunnels)
ATTACHMENT_HOURS = "TransitGateway-Hours"  # as ec2:transit-gateway-attachment bills a VPC attachment


def _state(connection: Mapping[str, Any]) -> str:
    return str(connection.get("State", ""))


class Ec2VpnConnectionHandler(AwsHandler):
    spec = SPEC
    iam_actions = ("ec2:DescribeVpnConnections", "ec2:DeleteVpnConnection")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        # not paginated: one call lists every connection of the region
        for connection in self.client(location).describe_vpn_connections()["VpnConnections"]:
            if _state(connection) in _ENDED:
                continue
            tags = tag_dict(connection.get("Tags"))
            found.append(
                self.resource(
                    location,
                    connection["VpnConnectionId"],
                    name=tags.get("Name"),
                    tags=tags,
                    attributes={
                        "state": _state(connection),
                        "type": connection.get("Type"),
                        "customer_gateway_id": connection.get("CustomerGatewayId"),
                        "vpn_gateway_id": connection.get("VpnGatewayId"),
                        "transit_gateway_id": connection.get("TransitGatewayId"),
                        "accelerated": bool(connection.get("Options", {}).get("EnableAcceleration")),
                    },
                )
            )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """A connection-hour per hour; on a transit gateway its attachment bills an attachment-hour
        too. Data out and the Global Accelerator charges of an accelerated connection are not
        estimated."""
        attributes = resource.attributes
        note = "1 connection" + (
            " (accelerated: its Global Accelerator charges not included)"
            if attributes.get("accelerated")
            else ""
        )
        usages = [Usage("AmazonVPC", CONNECTION_HOURS, "Hrs", 1.0, note=note)]
        if attributes.get("transit_gateway_id"):
            note = f"its attachment to {attributes['transit_gateway_id']}"
            usages.append(Usage("AmazonVPC", ATTACHMENT_HOURS, "Hrs", 1.0, note=note))
        return tuple(usages)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)

        def delete(connection: Resource) -> ResourceOutcome:
            ec2.delete_vpn_connection(VpnConnectionId=connection.id)
            return pending(connection.id, "deleting")

        return each(resources, delete, "ec2:DeleteVpnConnection")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        listed = described(
            self.client(location),
            "describe_vpn_connections",
            "VpnConnections",
            "VpnConnectionId",
            None,  # one reply lists them all (and moto has no vpn-connection-id filter)
            [r.id for r in resources],
        )
        return confirmed(resources, listed, _state, _ENDED)
