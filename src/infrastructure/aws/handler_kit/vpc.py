"""What the VPC core handlers share: the default VPC, and describing resources by their IDs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.resources import Link
from costzero.infrastructure.aws.handler_kit.base import chunked

FILTER_VALUES = 200  # AWS accepts up to 200 values in one filter

# Types whose resources own network interfaces in your subnets, with your security groups: a subnet
# or group cannot go (DependencyViolation) while one of them is there. Subnets and groups require
# each (with the instances, interfaces and services listed in their own specs).
INTERFACE_OWNERS = (
    "elbv2:load-balancer",
    "elb:load-balancer",
    "efs:mount-target",
    "elasticache:replication-group",
    "elasticache:cache-cluster",
    "redshift:cluster",
    "opensearch:domain",
    "eks:cluster",
    "ecs:task",
    "rds:db-cluster",
    "firehose:delivery-stream",
    "ec2:transit-gateway-attachment",
)


def default_vpc_ids(ec2: Any) -> frozenset[str]:
    """The region's default VPC (at most one): it and its default parts stay unless asked."""
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    return frozenset(v["VpcId"] for v in vpcs)


def describe_by_ids(
    ec2: Any, call: str, items_key: str, id_key: str, filter_name: str, ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """ID -> item, for those of `ids` AWS still describes. A filter, not the ID parameter: an ID
    that no longer exists simply is not answered, instead of failing the whole call."""
    found: dict[str, dict[str, Any]] = {}
    for batch in chunked(list(ids), FILTER_VALUES):
        filters = [{"Name": filter_name, "Values": list(batch)}]
        if ec2.can_paginate(call):
            pages = ec2.get_paginator(call).paginate(Filters=filters)
        else:
            pages = [getattr(ec2, call)(Filters=filters)]
        for page in pages:
            found.update({item[id_key]: item for item in page.get(items_key, [])})
    return found


def listed(ec2: Any, call: str, items_key: str, **args: Any) -> list[dict[str, Any]]:
    """Every item of a describe call, every page."""
    if ec2.can_paginate(call):
        return [item for page in ec2.get_paginator(call).paginate(**args) for item in page.get(items_key, [])]
    return list(getattr(ec2, call)(**args).get(items_key, []))


# Interfaces that go with the resource owning them and are never deleted on their own: AWS
# refuses to delete them, or the owner (a load balancer, a NAT gateway, a Lambda function, an RDS
# instance ...) breaks. Each rule below says why it skips an interface.
OWN_TYPES = ("interface", "efa", "efa-only")  # other types (nat_gateway, vpc_endpoint, load_balancer,
# lambda, trunk/branch of ECS, transit_gateway ...) belong to the service the type names
OWNED_BY = {  # description prefix -> the owner, for interfaces older listings do not type
    "arn:aws:ecs:": "an ECS task",
    "AWS Lambda VPC ENI": "a Lambda function",
    "ELB ": "a load balancer",
    "Amazon EKS ": "an EKS cluster",
    "RDSNetworkInterface": "an RDS database",
    "EFS mount target": "an EFS mount target",
    "AWS created network interface for directory": "a Directory Service directory",
}


def owner(interface: Mapping[str, Any]) -> str | None:
    """Why an interface is not costzero's to delete (it goes with its owner), or None."""
    if interface.get("RequesterManaged"):  # an AWS service made it for a resource of yours
        return f"requester-managed by {interface.get('RequesterId', 'an AWS service')}"
    if (interface.get("Operator") or {}).get("Managed"):  # a service operates it (EKS Auto Mode ...)
        return f"managed by {interface['Operator'].get('Principal', 'an AWS service')}"
    kind = interface.get("InterfaceType", "interface")
    if kind not in OWN_TYPES:
        return f"an interface of type {kind}, deleted with its owner"
    attachment = interface.get("Attachment") or {}
    attached_owner = attachment.get("InstanceOwnerId")
    if attached_owner and attached_owner != interface.get("OwnerId"):  # attached by a service
        return f"attached to a resource of {attached_owner}"
    if instance_of(interface):  # goes with its instance: listing it would count it twice
        return f"goes with its instance {attachment['InstanceId']}"
    description = str(interface.get("Description") or "")
    for prefix, what in OWNED_BY.items():
        if description.startswith(prefix):
            return f"belongs to {what}"
    return None


def instance_of(interface: Mapping[str, Any]) -> str | None:
    """The instance an interface is attached to and goes with, or None: one marked
    DeleteOnTermination, and any primary interface (device 0), which cannot be detached. A
    primary interface a user set to outlive its instance is left available by the termination;
    the next run lists it then."""
    attachment = interface.get("Attachment") or {}
    attached = attachment.get("Status") in ("attaching", "attached")
    goes_with = attachment.get("DeleteOnTermination") or attachment.get("DeviceIndex") == 0
    if attachment.get("InstanceId") and attached and goes_with:
        return str(attachment["InstanceId"])
    return None


def partition(region: str) -> str:
    """The ARN partition of a region."""
    for prefix, name in (
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-iso-", "aws-iso"),
    ):
        if region.startswith(prefix):
            return name
    return "aws"


def owner_link(interface: Mapping[str, Any], account: str, region: str) -> Link | None:
    """The resource that owns a service's interface, where its description names it: a load
    balancer ("ELB app/<name>/<id>", "ELB <classic name>") or an EFS mount target. What sits in the
    interface's subnet or group then waits for that owner, and is blocked at once when the run
    leaves it (a load balancer under deletion protection) instead of waiting out AWS's "not yet"."""
    description = str(interface.get("Description") or "")
    if description.startswith("ELB "):
        name = description[len("ELB ") :]
        if name.split("/", 1)[0] in ("app", "net", "gwy"):
            arn = f"arn:{partition(region)}:elasticloadbalancing:{region}:{account}:loadbalancer/{name}"
            return Link("elbv2:load-balancer", arn, "used by")
        return Link("elb:load-balancer", name, "used by")
    if description.startswith("EFS mount target for ") and description.endswith(")"):
        return Link("efs:mount-target", description.rsplit("(", 1)[1][:-1], "used by")
    return None


def database_users(rds: Any) -> tuple[dict[str, list[Link]], dict[str, list[Link]]]:
    """(subnet ID -> RDS DB instances in it, security group ID -> RDS DB instances using it).

    An RDS database's interfaces name no one (described "RDSNetworkInterface"), so its subnets and
    groups are linked to it from RDS's side: a database the run leaves (deletion protection) then
    blocks them at once instead of their waiting out AWS's "not yet". Unreadable (no permission):
    no links, and the type-level order still holds."""
    subnets: dict[str, list[Link]] = {}
    groups: dict[str, list[Link]] = {}
    try:
        pages = list(rds.get_paginator("describe_db_instances").paginate())
    except (ClientError, BotoCoreError):
        return subnets, groups
    for page in pages:
        for db in page.get("DBInstances", []):
            if db.get("DBInstanceStatus") == "deleted":
                continue
            link = Link("rds:db-instance", db["DBInstanceIdentifier"], "used by")
            for subnet in (db.get("DBSubnetGroup") or {}).get("Subnets", []):
                if subnet.get("SubnetIdentifier"):
                    subnets.setdefault(subnet["SubnetIdentifier"], []).append(link)
            for group in db.get("VpcSecurityGroups", []):
                if group.get("VpcSecurityGroupId"):
                    groups.setdefault(group["VpcSecurityGroupId"], []).append(link)
    return subnets, groups
