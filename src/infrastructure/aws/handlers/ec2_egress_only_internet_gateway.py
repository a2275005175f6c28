from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="ec2:egress-only-internet-gateway",
    # nothing: an egress-only gateway maps no addresses, and AWS has no detach call for it (the
    # delete detaches it; the routes naming it turn into blackholes)
    description="Egress-only internet gateways (IPv6)",
)


class Ec2EgressOnlyInternetGatewayHandler(ListDeleteHandler):
    spec = SPEC
    free_because = "egress-only internet gateways have no charge (data transfer is billed to what sends it)"
    iam_actions = ("ec2:DescribeEgressOnlyInternetGateways", "ec2:DeleteEgressOnlyInternetGateway")
    list_call, items_key = "describe_egress_only_internet_gateways", "EgressOnlyInternetGateways"
    id_key = "EgressOnlyInternetGatewayId"
    delete_call, delete_param = "delete_egress_only_internet_gateway", "EgressOnlyInternetGatewayId"

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"vpc_ids": [a["VpcId"] for a in item.get("Attachments", []) if a.get("VpcId")]}
