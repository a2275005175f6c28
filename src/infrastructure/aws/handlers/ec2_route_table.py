from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict
from costzero.infrastructure.aws.handler_kit.vpc import describe_by_ids, listed

SPEC = ResourceTypeSpec(
    key="ec2:route-table",
    # AWS refuses to delete a table still associated with a subnet (DependencyViolation). Deleting
    # the subnet ends its association; taking the association away from a subnet that stays would
    # move that subnet onto the main table, so a table waits for its subnets instead
    requires=("ec2:subnet",),
    linked_requires=("ec2:subnet",),  # discovery links each table to its associated subnets
    description="Route tables other than each VPC's main table (which goes with its VPC)",
)


class Ec2RouteTableHandler(AwsHandler):
    spec = SPEC
    free_because = "route tables have no charge"
    iam_actions = ("ec2:DescribeRouteTables", "ec2:DisassociateRouteTable", "ec2:DeleteRouteTable")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for table in listed(self.client(location), "describe_route_tables", "RouteTables"):
            associations = table.get("Associations", [])
            if any(a.get("Main") for a in associations):
                continue  # a VPC's main table cannot be deleted: it goes with its VPC
            tags = tag_dict(table.get("Tags"))
            subnets = [a["SubnetId"] for a in associations if a.get("SubnetId")]
            found.append(
                self.resource(
                    location,
                    table["RouteTableId"],
                    name=tags.get("Name"),
                    tags=tags,
                    attributes={"vpc_id": table.get("VpcId"), "subnet_ids": subnets},
                    links=tuple(Link("ec2:subnet", s, "associated with") for s in subnets),
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        live = describe_by_ids(
            ec2,
            "describe_route_tables",
            "RouteTables",
            "RouteTableId",
            "route-table-id",
            [r.id for r in resources],
        )

        def delete(table: Resource) -> ResourceOutcome | None:
            if table.id not in live:
                return ResourceOutcome(table.id, OutcomeKind.GONE, "already deleted")
            associations = [
                a for a in live[table.id].get("Associations", []) if a.get("RouteTableAssociationId")
            ]
            subnets = [a["SubnetId"] for a in associations if a.get("SubnetId")]
            if subnets:  # its subnets are not deleted yet, or were associated since discovery
                message = f"still associated with {', '.join(subnets)}"
                return ResourceOutcome(table.id, OutcomeKind.NOT_YET, message, tuple(subnets))
            for association in associations:  # edge associations (internet or virtual private gateway)
                ec2.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
            ec2.delete_route_table(RouteTableId=table.id)
            return None

        return each(resources, delete, "ec2:DeleteRouteTable")
