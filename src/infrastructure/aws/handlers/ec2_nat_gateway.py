from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, tag_dict
from costzero.infrastructure.aws.handler_kit.vpc import describe_by_ids, listed

SPEC = ResourceTypeSpec(
    key="ec2:nat-gateway",
    # nothing: a NAT gateway can be deleted whatever routes through it (those routes turn into
    # blackholes); its subnet, its Elastic IPs and its interface wait for it instead
    transition_seconds=60.0,  # deleting -> deleted: about a minute
    description="NAT gateways (their Elastic IPs stay allocated until the gateway is deleted)",
)

GONE_STATES = ("deleted",)  # AWS lists deleted gateways for about an hour


class Ec2NatGatewayHandler(AwsHandler):
    spec = SPEC
    iam_actions = ("ec2:DescribeNatGateways", "ec2:DeleteNatGateway")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for gateway in listed(self.client(location), "describe_nat_gateways", "NatGateways"):
            if gateway.get("State") in GONE_STATES:
                continue
            tags = tag_dict(gateway.get("Tags"))
            found.append(
                self.resource(
                    location,
                    gateway["NatGatewayId"],
                    name=tags.get("Name"),
                    tags=tags,
                    created_at=gateway.get("CreateTime"),
                    attributes={
                        "state": gateway.get("State"),
                        "vpc_id": gateway.get("VpcId"),
                        "subnet_id": gateway.get("SubnetId"),
                        "connectivity": gateway.get("ConnectivityType", "public"),
                        "allocation_ids": [
                            a["AllocationId"]
                            for a in gateway.get("NatGatewayAddresses", [])
                            if "AllocationId" in a
                        ],
                    },
                )
            )
        return found

    # -- cost: the gateway's hours; the bytes it processes are not known before they flow ----
    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Every hour the gateway exists, public or private, whatever traffic it carries. Its
        NatGateway-Bytes (per GB processed) cannot be read from the gateway: not estimated. A
        failed gateway bills nothing; its Elastic IPs are priced as addresses."""
        if resource.attributes.get("state") == "failed":
            return (Usage("AmazonEC2", "NatGateway-Hours", "Hrs", 0.0, note="failed: not billed"),)
        note = (
            f"{resource.attributes.get('connectivity', 'public')} NAT gateway; bytes processed not estimated"
        )
        return (Usage("AmazonEC2", "NatGateway-Hours", "Hrs", 1.0, CostPart.COMPUTE, note=note),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)

        def delete(gateway: Resource) -> ResourceOutcome:  # no batch API for NAT gateways
            ec2.delete_nat_gateway(NatGatewayId=gateway.id)  # NatGatewayNotFound -> gone
            return pending(gateway.id, "deleting")

        return each(resources, delete, "ec2:DeleteNatGateway")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """Gone once AWS says deleted (or no longer lists it): only then are its Elastic IPs and
        its interface free, and its subnet deletable."""
        states = {
            gateway_id: gateway.get("State", "")
            for gateway_id, gateway in describe_by_ids(
                self.client(location),
                "describe_nat_gateways",
                "NatGateways",
                "NatGatewayId",
                "nat-gateway-id",
                [r.id for r in resources],
            ).items()
        }
        return [
            done(r.id) if states.get(r.id, "deleted") in GONE_STATES else pending(r.id, states[r.id])
            for r in resources
        ]
