from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, pending, tag_dict
from costzero.infrastructure.aws.handler_kit.ec2_states import confirmed, described

SPEC = ResourceTypeSpec(
    key="ec2:vpn-gateway",
    # DeleteVpnGateway fails (IncorrectState) while a VPN connection uses the gateway
    requires=("ec2:vpn-connection",),
    transition_seconds=30.0,  # detaching -> detached, then deleting -> deleted
    description="Virtual private gateways (detached from their VPC, then deleted)",
)
_ENDED = frozenset({"deleted"})
_ON = {"attaching", "attached"}


def _state(gateway: Mapping[str, Any]) -> str:
    return str(gateway.get("State", ""))


def _attachments(gateway: Mapping[str, Any], states: set[str]) -> list[str]:
    return [a["VpcId"] for a in gateway.get("VpcAttachments", []) if a.get("State") in states]


class Ec2VpnGatewayHandler(AwsHandler):
    spec = SPEC
    free_because = (
        "a virtual private gateway has no charge: its VPN connections bill hourly (ec2:vpn-connection)"
    )
    iam_actions = ("ec2:DescribeVpnGateways", "ec2:DetachVpnGateway", "ec2:DeleteVpnGateway")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        # not paginated: one call lists every gateway of the region
        for gateway in self.client(location).describe_vpn_gateways()["VpnGateways"]:
            if _state(gateway) in _ENDED:
                continue
            tags = tag_dict(gateway.get("Tags"))
            found.append(
                self.resource(
                    location,
                    gateway["VpnGatewayId"],
                    name=tags.get("Name"),
                    tags=tags,
                    attributes={
                        "state": _state(gateway),
                        "attached_to": _attachments(gateway, _ON),
                        "amazon_side_asn": gateway.get("AmazonSideAsn"),
                    },
                )
            )
        return found

    def _listed(self, ec2: Any, resources: Sequence[Resource]) -> dict[str, Mapping[str, Any]]:
        return described(
            ec2,
            "describe_vpn_gateways",
            "VpnGateways",
            "VpnGatewayId",
            "vpn-gateway-id",
            [r.id for r in resources],
        )

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """Step by step, from what AWS says now: detach from the VPC (AWS refuses to delete an
        attached gateway: IncorrectState), wait while it detaches, then delete. The "not yet"
        messages name no VPC: the VPC does not hold the gateway, the attachment does."""
        ec2 = self.client(location)
        listed = self._listed(ec2, resources)

        def delete(resource: Resource) -> ResourceOutcome:
            gateway = listed.get(resource.id)
            if gateway is None or _state(gateway) in _ENDED:
                return ResourceOutcome(resource.id, OutcomeKind.GONE, "already deleted")
            if _state(gateway) == "deleting":
                return pending(resource.id, "deleting")
            attached = _attachments(gateway, _ON)
            for vpc_id in attached:
                ec2.detach_vpn_gateway(VpnGatewayId=resource.id, VpcId=vpc_id)
            if attached or _attachments(gateway, {"detaching"}):
                return ResourceOutcome(resource.id, OutcomeKind.NOT_YET, "detaching from its VPC")
            ec2.delete_vpn_gateway(VpnGatewayId=resource.id)
            return pending(resource.id, "deleting")

        return each(resources, delete, "ec2:DeleteVpnGateway")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        return confirmed(resources, self._listed(self.client(location), resources), _state, _ENDED)
