from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each
from costzero.infrastructure.aws.handler_kit.elb import described_tags

SPEC = ResourceTypeSpec(
    key="elbv2:target-group",
    requires=(
        "elbv2:load-balancer",  # a group a listener or rule forwards to is in use (ResourceInUse)
        "ecs:service",  # a service registers its tasks in the group; deleting it under the service breaks it
        "autoscaling:group",  # an attached group keeps registering its instances in it
    ),
    linked_requires=("elbv2:load-balancer",),  # discovery links each group to its load balancers
    delete_batch_size=20,
    description="Elastic Load Balancing target groups",
)


class Elbv2TargetGroupHandler(AwsHandler):
    spec = SPEC
    free_because = "target groups have no charge (their load balancer bills)"
    iam_actions = (
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DeleteTargetGroup",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        elbv2 = self.client(location)
        groups = [
            group
            for page in elbv2.get_paginator("describe_target_groups").paginate()
            for group in page["TargetGroups"]
        ]
        tags = described_tags(elbv2, "ResourceArns", [g["TargetGroupArn"] for g in groups])
        return [
            self.resource(
                location,
                group["TargetGroupArn"],
                name=group["TargetGroupName"],
                tags=tags.get(group["TargetGroupArn"]),
                attributes={"target_type": group.get("TargetType"), "vpc": group.get("VpcId")},
                links=tuple(
                    Link("elbv2:load-balancer", arn, "targets of")
                    for arn in group.get("LoadBalancerArns", [])
                ),
            )
            for group in groups
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        elbv2 = self.client(location)
        # one at a time (no batch API); ResourceInUse while a listener or rule still forwards to it
        return each(
            resources,
            lambda group: elbv2.delete_target_group(TargetGroupArn=group.id),
            "elasticloadbalancing:DeleteTargetGroup",
        )
