from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.costing import Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending
from costzero.infrastructure.aws.handler_kit.elb import (
    ELB,
    described_tags,
    hours_usage_type,
    interface_description,
    lingering,
)

SPEC = ResourceTypeSpec(
    key="elb:load-balancer",
    # nothing of this family must go first: registered instances are only deregistered
    transition_seconds=120.0,  # its ENIs linger a minute or two after the delete call returns
    description="Classic Load Balancers",
)


class ElbLoadBalancerHandler(AwsHandler):
    """Classic load balancers have no deletion protection; they are known by name."""

    spec = SPEC
    iam_actions = (
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DeleteLoadBalancer",
        "ec2:DescribeNetworkInterfaces",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        elb = self.client(location)
        balancers = [
            lb
            for page in elb.get_paginator("describe_load_balancers").paginate()
            for lb in page["LoadBalancerDescriptions"]
        ]
        tags = described_tags(elb, "LoadBalancerNames", [lb["LoadBalancerName"] for lb in balancers])
        return [
            self.resource(
                location,
                lb["LoadBalancerName"],
                name=lb["LoadBalancerName"],
                tags=tags.get(lb["LoadBalancerName"]),
                created_at=lb.get("CreatedTime"),
                attributes={
                    "scheme": lb.get("Scheme"),
                    "vpc": lb.get("VPCId"),
                    "instances": len(lb.get("Instances", [])),
                },
            )
            for lb in balancers
        ]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """The load balancer hour; data processed (per GB) follows traffic: not estimated."""
        note = "classic load balancer; data processed not estimated"
        return (Usage(ELB, hours_usage_type("classic"), "Hrs", 1.0, note=note),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        elb = self.client(location)

        def delete(lb: Resource) -> ResourceOutcome:
            elb.delete_load_balancer(LoadBalancerName=lb.id)  # succeeds for one already gone
            return pending(lb.id, "deleting; waiting for its network interfaces to go")

        return each(resources, delete, "elasticloadbalancing:DeleteLoadBalancer")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """Gone once AWS no longer lists it and none of its ENIs remain."""
        listed = {
            lb["LoadBalancerName"]
            for page in self.client(location).get_paginator("describe_load_balancers").paginate()
            for lb in page["LoadBalancerDescriptions"]
        }
        left = lingering(
            self.client(location, service="ec2"), [interface_description(r.id) for r in resources]
        )
        outcomes = []
        for lb in resources:
            remaining = left.get(interface_description(lb.id), 0)
            if lb.id in listed:
                outcomes.append(pending(lb.id, "still listed"))
            elif remaining:
                outcomes.append(pending(lb.id, f"{remaining} network interface(s) left"))
            else:
                outcomes.append(done(lb.id))
        return outcomes
