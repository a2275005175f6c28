from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handlers.base import AwsHandler, done, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:security-group",
    requires=("ec2:instance", "elasticbeanstalk:environment"),  # groups in use cannot go
    description="Security groups other than each VPC's default group",
)


def _group_rules(permissions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the parts of each rule that name other security groups."""
    rules = []
    for permission in permissions:
        pairs = [{"GroupId": p["GroupId"]} for p in permission.get("UserIdGroupPairs", []) if "GroupId" in p]
        if pairs:
            rule: dict[str, Any] = {
                k: permission[k] for k in ("IpProtocol", "FromPort", "ToPort") if k in permission
            }
            rules.append({**rule, "UserIdGroupPairs": pairs})
    return rules


class Ec2SecurityGroupHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_security_groups").paginate():
            for group in page["SecurityGroups"]:
                if group["GroupName"] == "default":
                    continue  # every VPC's default group is undeletable
                tags = tag_dict(group.get("Tags"))
                found.append(
                    self.resource(
                        location,
                        group["GroupId"],
                        name=group["GroupName"],
                        tags=tags,
                        attributes={
                            "vpc_id": group.get("VpcId"),
                            "ingress": _group_rules(group.get("IpPermissions", [])),
                            "egress": _group_rules(group.get("IpPermissionsEgress", [])),
                        },
                    )
                )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        # First cut the group-to-group references, so groups that reference each other can go.
        for group in resources:
            self._revoke(ec2.revoke_security_group_ingress, group.id, group.attributes.get("ingress"))
            self._revoke(ec2.revoke_security_group_egress, group.id, group.attributes.get("egress"))
        outcomes = []
        for group in resources:
            try:
                ec2.delete_security_group(GroupId=group.id)
                outcomes.append(done(group.id))
            except ClientError as error:  # DependencyViolation: an ENI or another group still uses it
                outcomes.append(outcome(group.id, error, "ec2:DeleteSecurityGroup"))
        return outcomes

    @staticmethod
    def _revoke(call: Any, group_id: str, rules: Any) -> None:
        if not rules:
            return
        # Already revoked, group gone, throttled ...: the delete below reports the real state,
        # and a group still referenced answers DependencyViolation and is tried again.
        with contextlib.suppress(ClientError):
            call(GroupId=group_id, IpPermissions=rules)
