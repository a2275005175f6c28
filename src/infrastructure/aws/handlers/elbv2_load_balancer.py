from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, pending
from costzero.infrastructure.aws.handler_kit.elb import (
    ELB,
    described_tags,
    hours_usage_type,
    interface_description,
    lingering,
)

SPEC = ResourceTypeSpec(
    key="elbv2:load-balancer",
    # nothing of this family must go first: listeners and rules are deleted with the load balancer,
    # and target groups are only detached from it
    transition_seconds=120.0,  # its ENIs linger a minute or two after the delete call returns
    description="Application, Network and Gateway Load Balancers (with their listeners)",
)
PROTECTION = "deletion_protection.enabled"
DESCRIBE_BATCH = 20  # DescribeLoadBalancers takes up to 20 ARNs


class Elbv2LoadBalancerHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:DeleteLoadBalancer",
        "ec2:DescribeNetworkInterfaces",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        elbv2 = self.client(location)
        balancers = [
            lb
            for page in elbv2.get_paginator("describe_load_balancers").paginate()
            for lb in page["LoadBalancers"]
        ]
        tags = described_tags(elbv2, "ResourceArns", [lb["LoadBalancerArn"] for lb in balancers])
        return [
            self.resource(
                location,
                lb["LoadBalancerArn"],
                name=lb["LoadBalancerName"],
                tags=tags.get(lb["LoadBalancerArn"]),
                created_at=lb.get("CreatedTime"),
                attributes={
                    "kind": lb.get("Type"),  # application | network | gateway
                    "scheme": lb.get("Scheme"),
                    "state": (lb.get("State") or {}).get("Code"),
                    "vpc": lb.get("VpcId"),
                },
            )
            for lb in balancers
        ]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """The load balancer hour of its kind; capacity units (LCU, NLCU, GLCU) follow traffic,
        which discovery cannot see: not estimated."""
        kind = resource.attributes.get("kind") or "unknown"
        note = f"{kind} load balancer; capacity units not estimated"
        return (Usage(ELB, hours_usage_type(kind), "Hrs", 1.0, note=note),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        elbv2 = self.client(location)
        may_disable = self.options.may_disable_protection(self.spec.key)

        def delete(lb: Resource) -> ResourceOutcome:  # no batch delete
            attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=lb.id)["Attributes"]
            if any(a["Key"] == PROTECTION and a.get("Value") == "true" for a in attributes):
                if not may_disable:
                    message = f"deletion protection on; --disable-protection {self.spec.key} to delete it"
                    return ResourceOutcome(lb.id, OutcomeKind.PROTECTED, message)
                elbv2.modify_load_balancer_attributes(
                    LoadBalancerArn=lb.id, Attributes=[{"Key": PROTECTION, "Value": "false"}]
                )
            # succeeds for a load balancer already gone; OperationNotPermitted if protection is on
            elbv2.delete_load_balancer(LoadBalancerArn=lb.id)
            return pending(lb.id, "deleting; waiting for its network interfaces to go")

        # LoadBalancerNotFound from the attribute read: gone
        return each(resources, delete, "elasticloadbalancing:DeleteLoadBalancer")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """Gone once AWS no longer lists it and none of its ENIs remain."""
        listed = self._listed(self.client(location), [r.id for r in resources])
        left = lingering(
            self.client(location, service="ec2"), [interface_description(r.id) for r in resources]
        )
        outcomes = []
        for lb in resources:
            if lb.id in listed:
                outcomes.append(pending(lb.id, f"still {listed[lb.id]}"))
            elif left.get(interface_description(lb.id)):
                outcomes.append(
                    pending(lb.id, f"{left[interface_description(lb.id)]} network interface(s) left")
                )
            else:
                outcomes.append(done(lb.id))
        return outcomes

    @staticmethod
    def _listed(elbv2: Any, arns: Sequence[str]) -> dict[str, str]:
        """ARN -> state, for the load balancers AWS still lists: up to 20 ARNs per call, but one
        unknown ARN fails the whole call (LoadBalancerNotFound), so such a batch is asked again
        ARN by ARN."""
        states: dict[str, str] = {}
        for batch in chunked(list(arns), DESCRIBE_BATCH):
            try:
                replies = [elbv2.describe_load_balancers(LoadBalancerArns=list(batch))]
            except ClientError as error:
                if error_code(error) != "LoadBalancerNotFound":
                    raise
                replies = []
                for arn in batch if len(batch) > 1 else ():
                    try:
                        replies.append(elbv2.describe_load_balancers(LoadBalancerArns=[arn]))
                    except ClientError as one:
                        if error_code(one) != "LoadBalancerNotFound":
                            raise
            for reply in replies:
                states.update(
                    {
                        lb["LoadBalancerArn"]: (lb.get("State") or {}).get("Code", "")
                        for lb in reply["LoadBalancers"]
                    }
                )
        return states
