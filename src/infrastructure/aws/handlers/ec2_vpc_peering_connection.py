from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, tag_dict
from costzero.infrastructure.aws.handler_kit.ec2_states import confirmed, described

SPEC = ResourceTypeSpec(
    key="ec2:vpc-peering-connection",
    transition_seconds=5.0,  # deleting -> deleted
    description=(
        "VPC peering connections (deleted; a request another account sent and this one has not "
        "accepted is rejected instead)"
    ),
)
_ENDED = frozenset(
    {"deleted", "rejected", "failed", "expired"}
)  # listed for a while, gone for billing and routing


def _side(info: Mapping[str, Any]) -> dict[str, Any]:
    return {"vpc_id": info.get("VpcId"), "owner": info.get("OwnerId"), "region": info.get("Region")}


class Ec2VpcPeeringConnectionHandler(AwsHandler):
    spec = SPEC
    free_because = "a peering connection has no hourly charge: traffic across it bills as data transfer"
    iam_actions = (
        "ec2:DescribeVpcPeeringConnections",
        "ec2:DeleteVpcPeeringConnection",
        "ec2:RejectVpcPeeringConnection",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_vpc_peering_connections").paginate():
            for peering in page["VpcPeeringConnections"]:
                status = _status(peering)
                if status in _ENDED:
                    continue
                tags = tag_dict(peering.get("Tags"))
                found.append(
                    self.resource(
                        location,
                        peering["VpcPeeringConnectionId"],
                        name=tags.get("Name"),
                        tags=tags,
                        attributes={
                            "status": status,
                            "requester": _side(peering.get("RequesterVpcInfo", {})),
                            "accepter": _side(peering.get("AccepterVpcInfo", {})),
                        },
                    )
                )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)

        def delete(peering: Resource) -> ResourceOutcome:
            if self._to_reject(location, peering):
                # only the requester may delete a request not yet accepted; the other side rejects it
                ec2.reject_vpc_peering_connection(VpcPeeringConnectionId=peering.id)
                return done(peering.id, "rejected (a request from another account)")
            ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=peering.id)
            return pending(peering.id, "deleting")

        def settle(peering_id: str, error: ClientError, action: str) -> ResourceOutcome:
            # InvalidStateTransition: deleted or rejected meanwhile (by the other side's task, in
            # another region or account), or still being set up: which one, a describe says
            if error_code(error) == "InvalidStateTransition":
                listed = self._listed(ec2, [peering_id]).get(peering_id)
                status = _status(listed) if listed else "deleted"
                if status in _ENDED:
                    return ResourceOutcome(peering_id, OutcomeKind.GONE, f"already {status}")
                return ResourceOutcome(peering_id, OutcomeKind.NOT_YET, f"status {status}")
            return outcome(peering_id, error, action)

        return each(resources, delete, "ec2:DeleteVpcPeeringConnection", settle)

    @staticmethod
    def _to_reject(location: Location, peering: Resource) -> bool:
        requester = peering.attributes.get("requester") or {}
        is_requester = requester.get("owner") == location.account and requester.get("region") in (
            None,
            location.region,
        )
        return peering.attributes.get("status") == "pending-acceptance" and not is_requester

    @staticmethod
    def _listed(ec2: Any, ids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
        return described(
            ec2,
            "describe_vpc_peering_connections",
            "VpcPeeringConnections",
            "VpcPeeringConnectionId",
            "vpc-peering-connection-id",
            ids,
        )

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        listed = self._listed(self.client(location), [r.id for r in resources])
        return confirmed(resources, listed, _status, _ENDED)


def _status(peering: Mapping[str, Any]) -> str:
    return str(peering.get("Status", {}).get("Code", ""))
