from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict
from costzero.infrastructure.aws.handler_kit.vpc import listed

SPEC = ResourceTypeSpec(
    key="ec2:network-acl",
    # AWS refuses to delete an ACL still associated with a subnet. Deleting the subnet ends the
    # association; moving a subnet that stays onto another ACL would change its traffic rules, so
    # an ACL waits for its subnets instead
    requires=("ec2:subnet",),
    linked_requires=("ec2:subnet",),  # discovery links each ACL to its associated subnets
    description="Network ACLs other than each VPC's default ACL (which goes with its VPC)",
)


class Ec2NetworkAclHandler(AwsHandler):
    spec = SPEC
    free_because = "network ACLs have no charge"
    iam_actions = ("ec2:DescribeNetworkAcls", "ec2:DeleteNetworkAcl")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for acl in listed(self.client(location), "describe_network_acls", "NetworkAcls"):
            if acl.get("IsDefault"):
                continue  # a VPC's default ACL cannot be deleted: it goes with its VPC
            tags = tag_dict(acl.get("Tags"))
            subnets = [a["SubnetId"] for a in acl.get("Associations", []) if a.get("SubnetId")]
            found.append(
                self.resource(
                    location,
                    acl["NetworkAclId"],
                    name=tags.get("Name"),
                    tags=tags,
                    attributes={"vpc_id": acl.get("VpcId"), "subnet_ids": subnets},
                    links=tuple(Link("ec2:subnet", s, "associated with") for s in subnets),
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        # every ACL of the region, few pages: the network-acl-id filter would do, but the test
        # server lacks it, and the IDs parameter fails the whole call for one deleted ID
        wanted = {r.id for r in resources}
        live = {
            acl["NetworkAclId"]: acl
            for acl in listed(ec2, "describe_network_acls", "NetworkAcls")
            if acl["NetworkAclId"] in wanted
        }

        def delete(acl: Resource) -> ResourceOutcome | None:
            if acl.id not in live:
                return ResourceOutcome(acl.id, OutcomeKind.GONE, "already deleted")
            subnets = [a["SubnetId"] for a in live[acl.id].get("Associations", []) if a.get("SubnetId")]
            if subnets:  # its subnets are not deleted yet, or were associated since discovery
                message = f"still associated with {', '.join(subnets)}"
                return ResourceOutcome(acl.id, OutcomeKind.NOT_YET, message, tuple(subnets))
            ec2.delete_network_acl(NetworkAclId=acl.id)  # DependencyViolation -> not yet
            return None

        return each(resources, delete, "ec2:DeleteNetworkAcl")
