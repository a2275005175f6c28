from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="ec2:customer-gateway",
    # DeleteCustomerGateway fails (IncorrectState) while a VPN connection uses the gateway
    requires=("ec2:vpn-connection",),
    description="Customer gateways (the on-premises end of VPN connections, described to AWS)",
)


class Ec2CustomerGatewayHandler(ListDeleteHandler):
    spec = SPEC
    free_because = "a customer gateway has no charge: its VPN connections bill hourly (ec2:vpn-connection)"
    iam_actions = ("ec2:DescribeCustomerGateways", "ec2:DeleteCustomerGateway")
    list_call, items_key = "describe_customer_gateways", "CustomerGateways"  # not paginated
    id_key, name_key = "CustomerGatewayId", "DeviceName"
    # nothing waits on a customer gateway: its deleting -> deleted is not waited for
    delete_call, delete_param = "delete_customer_gateway", "CustomerGatewayId"

    def include(self, item: Mapping[str, Any]) -> bool:
        return item.get("State") not in ("deleting", "deleted")

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "state": item.get("State"),
            "ip_address": item.get("IpAddress"),
            "bgp_asn": item.get("BgpAsn"),
        }
