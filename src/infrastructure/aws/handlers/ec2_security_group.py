from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict
from costzero.infrastructure.aws.handler_kit.vpc import (
    INTERFACE_OWNERS,
    database_users,
    instance_of,
    owner,
    owner_link,
)

SPEC = ResourceTypeSpec(
    key="ec2:security-group",
    # groups in use cannot go (DependencyViolation): instances, environments, and whatever holds a
    # network interface using the group
    requires=(
        "ec2:instance",
        "elasticbeanstalk:environment",
        "ec2:network-interface",
        "ec2:vpc-endpoint",
        "lambda:function",
        "rds:db-instance",
        "ecs:service",
        "sagemaker:notebook-instance",
        "sagemaker:endpoint",
        *INTERFACE_OWNERS,  # network interfaces other services own with the group
    ),
    # an instance using a group is linked to it ("used by"); a group an environment's stack made
    # carries the environment's id tag ("made by"): the stack deletes it with the environment
    linked_requires=("ec2:instance", "elasticbeanstalk:environment", "ec2:network-interface"),
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


DEFAULT_GROUP = "ec2:default-security-group"  # not a type costzero deletes
# Beanstalk tags what its environment's CloudFormation stack creates, security groups included
BEANSTALK_TAG = "elasticbeanstalk:environment-id"


def _users(ec2: Any, location: Location, group_ids: Sequence[str] = ()) -> dict[str, list[Link]]:
    """Group ID -> what uses it: instances by the network interfaces that go with them, load
    balancers and EFS mount targets by theirs (`owner_link`), other interfaces (Lambda, RDS ... own
    them; a second interface of an instance that outlives it) as themselves. A group in use cannot
    be deleted."""
    filters = [{"Name": "group-id", "Values": list(group_ids)}] if group_ids else []
    users: dict[str, list[Link]] = {}
    for page in ec2.get_paginator("describe_network_interfaces").paginate(Filters=filters):
        for interface in page["NetworkInterfaces"]:
            attachment = interface.get("Attachment") or {}
            if attachment.get("Status") in ("detaching", "detached"):
                continue  # going away with what it was attached to
            instance = instance_of(interface)
            if instance:
                link = Link("ec2:instance", instance, "used by")
            else:  # an instance's interface not deleted on termination stays in the group after it
                link = (
                    owner(interface) and owner_link(interface, location.account, location.region)
                ) or Link("ec2:network-interface", interface["NetworkInterfaceId"], "used by")
            for group in interface.get("Groups", []):
                if link not in users.setdefault(group["GroupId"], []):
                    users[group["GroupId"]].append(link)
    return users


def _referrers(groups: Sequence[dict[str, Any]]) -> dict[str, list[Link]]:
    """Group ID -> the other groups whose rules name it. Rules of groups the run deletes are
    revoked first (see `delete`); a rule of a kept group holds the named group back."""
    referrers: dict[str, list[Link]] = {}
    for group in groups:
        rules = [*group.get("IpPermissions", []), *group.get("IpPermissionsEgress", [])]
        # a default group is never deleted (nor listed): its rules hold for good
        owner = DEFAULT_GROUP if group["GroupName"] == "default" else "ec2:security-group"
        for rule in _group_rules(rules):
            for pair in rule["UserIdGroupPairs"]:
                named = pair["GroupId"]
                link = Link(owner, group["GroupId"], "named in a rule of")
                if named != group["GroupId"] and link not in referrers.setdefault(named, []):
                    referrers[named].append(link)
    return referrers


def _maker(tags: dict[str, str]) -> tuple[Link, ...]:
    """The Beanstalk environment whose stack made the group and deletes it with itself."""
    if tags.get(BEANSTALK_TAG):
        return (Link("elasticbeanstalk:environment", tags[BEANSTALK_TAG], "made by"),)
    return ()


class Ec2SecurityGroupHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkInterfaces",
        "rds:DescribeDBInstances",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:DeleteSecurityGroup",
    )
    free_because = "security groups have no charge"

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ec2 = self.client(location)
        groups = [
            group
            for page in ec2.get_paginator("describe_security_groups").paginate()
            for group in page["SecurityGroups"]
        ]
        users = _users(ec2, location)
        databases = database_users(self.client(location, service="rds"))[1] if groups else {}
        referrers = _referrers(groups)
        found = []
        for group in groups:
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
                    links=(
                        *users.get(group["GroupId"], ()),
                        *databases.get(group["GroupId"], ()),
                        *referrers.get(group["GroupId"], ()),
                        *_maker(tags),
                    ),
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        # First cut the group-to-group references, so groups that reference each other can go.
        for group in resources:
            self._revoke(ec2.revoke_security_group_ingress, group.id, group.attributes.get("ingress"))
            self._revoke(ec2.revoke_security_group_egress, group.id, group.attributes.get("egress"))
        outcomes = each(
            resources, lambda group: ec2.delete_security_group(GroupId=group.id), "ec2:DeleteSecurityGroup"
        )
        # DependencyViolation: an ENI or another group still uses it. AWS does not say what: look it up
        return [
            replace(result, blockers=self._blockers(ec2, location, result.resource_id))
            if result.kind is OutcomeKind.NOT_YET
            else result
            for result in outcomes
        ]

    @staticmethod
    def _blockers(ec2: Any, location: Location, group_id: str) -> tuple[str, ...]:
        """What holds a group now: the users of its interfaces and the groups naming it."""
        try:
            users = _users(ec2, location, [group_id]).get(group_id, [])
            named = ec2.describe_security_groups(
                Filters=[{"Name": "ip-permission.group-id", "Values": [group_id]}]
            )["SecurityGroups"]
        except ClientError:
            return ()  # unknown: the group is simply waited for
        referrers = [g["GroupId"] for g in named if g["GroupId"] != group_id]
        return (*(link.id for link in users), *referrers)

    @staticmethod
    def _revoke(call: Any, group_id: str, rules: Any) -> None:
        if not rules:
            return
        # Already revoked, group gone, throttled ...: the delete below reports the real state,
        # and a group still referenced answers DependencyViolation and is tried again.
        with contextlib.suppress(ClientError):
            call(GroupId=group_id, IpPermissions=rules)
