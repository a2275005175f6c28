from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import MEMBER_RELATION, CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import (
    TAG_READERS,
    AwsHandler,
    chunked,
    done,
    each,
    pending,
    tag_dict,
)

SPEC = ResourceTypeSpec(
    key="ec2:instance",
    requires=(
        "elasticbeanstalk:environment",  # an environment's own instances go with it
        "autoscaling:group",  # a group replaces a member terminated under it; its ForceDelete ends them
    ),
    # each carries its environment-id or aws:autoscaling:groupName tag, read as a "belongs to" link
    linked_requires=("elasticbeanstalk:environment", "autoscaling:group"),
    transition_seconds=45.0,  # shutting-down -> terminated
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    delete_batch_size=1000,  # TerminateInstances (and Stop/StartInstances) take up to 1000 IDs
    description="EC2 instances (terminated, then waited for until 'terminated')",
)
_GONE_STATES = {"terminated"}
_MOVING = {"pending", "stopping", "shutting-down"}
ASG_TAG = "aws:autoscaling:groupName"
BEANSTALK_TAG = "elasticbeanstalk:environment-id"
_BILLED = {"pending", "running"}  # instance hours bill while it runs; a stopped instance bills none
LINUX = "RunInstances"  # the UsageOperation (and Price List operation) of Linux/UNIX on demand


def _owners(tags: Mapping[str, str]) -> tuple[Link, ...]:
    """What launched the instance and would replace it: it goes with its owner, not before.
    Both are membership links (MEMBER_RELATION): a cost sheet counts a member once, with its group."""
    links = []
    if tags.get(BEANSTALK_TAG):
        links.append(Link("elasticbeanstalk:environment", tags[BEANSTALK_TAG], MEMBER_RELATION))
    if tags.get(ASG_TAG):
        links.append(Link("autoscaling:group", tags[ASG_TAG], MEMBER_RELATION))
    return tuple(links)


def _amazon_public_ipv4(instance: Mapping[str, Any]) -> int:
    """Public IPv4 addresses Amazon assigned to the instance's interfaces (IpOwnerId "amazon").
    Elastic IPs carry the account as owner: ec2:elastic-ip prices those."""
    addresses = {
        association["PublicIp"]
        for interface in instance.get("NetworkInterfaces", [])
        for private in interface.get("PrivateIpAddresses", [])
        if (association := private.get("Association") or {}).get("IpOwnerId") == "amazon"
        and association.get("PublicIp")
    }
    return len(addresses)


def _usage_operation(instance: Mapping[str, Any]) -> str:
    """How the instance bills (RunInstances = Linux/UNIX, RunInstances:0002 = Windows ...). AWS
    always answers UsageOperation; an emulator that does not is read from Platform, which AWS sets
    to "windows" for Windows only."""
    if instance.get("UsageOperation"):
        return str(instance["UsageOperation"])
    return "RunInstances:0002" if instance.get("Platform") == "windows" else LINUX


class Ec2InstanceHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceAttribute",  # termination protection, read before any terminate
        "ec2:ModifyInstanceAttribute",  # turns it off, with --disable-protection ec2:instance only
        "ec2:TerminateInstances",
        "ec2:StopInstances",
        "ec2:StartInstances",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_instances").paginate():
            for reservation in page["Reservations"]:
                for instance in reservation["Instances"]:
                    if instance["State"]["Name"] in _GONE_STATES:
                        continue
                    tags = tag_dict(instance.get("Tags"))
                    found.append(
                        self.resource(
                            location,
                            instance["InstanceId"],
                            name=tags.get("Name"),
                            tags=tags,
                            created_at=instance.get("LaunchTime"),
                            attributes={
                                "instance_type": instance.get("InstanceType"),
                                "state": instance["State"]["Name"],
                                "root_device_type": instance.get("RootDeviceType"),
                                "settings": {"state": instance["State"]["Name"]},
                                # what its hours cost: platform, tenancy, spot or not
                                "usage_operation": _usage_operation(instance),
                                "platform_details": instance.get("PlatformDetails"),
                                "tenancy": instance.get("Placement", {}).get("Tenancy", "default"),
                                "lifecycle": instance.get("InstanceLifecycle"),  # spot, capacity-block
                                "amazon_public_ipv4": _amazon_public_ipv4(instance),
                            },
                            links=_owners(tags),
                        )
                    )
        return found

    # -- cost: instance hours while it runs, and the public IPv4 addresses Amazon gave it ---------
    def usage(self, resource: Resource) -> Sequence[Usage]:
        attributes = resource.attributes
        state = attributes.get("state")
        box = _box_usage(attributes)
        if state not in _BILLED:
            # Stopped: no instance hours, and its auto-assigned public IP was released. Its EBS
            # volumes still bill (ec2:volume), as does an Elastic IP (ec2:elastic-ip).
            note = f"{state}: no instance hours billed"
            return (Usage(box.service, box.usage_type, box.unit, 0.0, note=note),)
        usages = [box]
        addresses = attributes.get("amazon_public_ipv4")
        if addresses:  # released on stop: compute
            usages.append(
                Usage("AmazonVPC", "PublicIPv4:InUseAddress", "Hrs", float(addresses), note=_ips(addresses))
            )
        return tuple(usages)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        outcomes: list[ResourceOutcome] = []
        # Instances of an environment are tried once it is gone, and it terminated them: one
        # describe settles those instead of another TerminateInstances call.
        owned = [r for r in resources if r.links]
        states = self._states(location, owned) if owned else {}
        to_terminate = []
        for resource in resources:
            state = states.get(resource.id, "terminated") if resource.links else "running"
            if state in _GONE_STATES:
                outcomes.append(ResourceOutcome(resource.id, OutcomeKind.GONE, "terminated with its owner"))
            elif state == "shutting-down":
                outcomes.append(pending(resource.id, "terminating with its owner"))
            else:
                to_terminate.append(resource)
        unprotected = self._unprotected(ec2, to_terminate)
        outcomes.extend(o for o in unprotected if isinstance(o, ResourceOutcome))
        to_terminate = [r for r in unprotected if isinstance(r, Resource)]
        for batch in chunked(to_terminate, self.spec.delete_batch_size):
            try:
                ec2.terminate_instances(InstanceIds=[r.id for r in batch])
                outcomes.extend(pending(r.id, "terminating") for r in batch)
            except ClientError:
                # One bad ID (gone, termination-protected) fails the whole call in real AWS:
                # settle this batch one instance at a time so each gets its own outcome.
                outcomes.extend(self._one_by_one(ec2, batch))
        return outcomes

    # -- termination protection: read first, so that a protected instance sees no mutating call
    def _unprotected(self, ec2: Any, resources: Sequence[Resource]) -> list[Resource | ResourceOutcome]:
        """Each resource free to terminate, or its outcome: PROTECTED (termination protection on and
        not to be turned off), GONE (vanished since discovery) or an error's. DescribeInstances does
        not show the flag: one DescribeInstanceAttribute per instance, a few at a time. With
        `--disable-protection ec2:instance` the flag is turned off and the instance terminated."""
        if len(resources) <= 1:
            return [self._settle_protection(ec2, r) for r in resources]
        with ThreadPoolExecutor(max_workers=min(TAG_READERS, len(resources))) as pool:
            return list(pool.map(lambda r: self._settle_protection(ec2, r), resources))

    def _settle_protection(self, ec2: Any, resource: Resource) -> Resource | ResourceOutcome:
        try:
            reply = ec2.describe_instance_attribute(InstanceId=resource.id, Attribute="disableApiTermination")
            if not reply.get("DisableApiTermination", {}).get("Value"):
                return resource
            if not self.options.may_disable_protection(self.spec.key):
                return ResourceOutcome(
                    resource.id,
                    OutcomeKind.PROTECTED,
                    f"termination protection on; --disable-protection {self.spec.key} to delete it",
                )
        except ClientError as error:  # InvalidInstanceID.NotFound -> gone
            return outcome(resource.id, error, "ec2:DescribeInstanceAttribute")
        try:
            ec2.modify_instance_attribute(InstanceId=resource.id, DisableApiTermination={"Value": False})
        except ClientError as error:
            return outcome(resource.id, error, "ec2:ModifyInstanceAttribute")
        return resource

    def _one_by_one(
        self, ec2: Any, batch: Sequence[Resource], call: str = "terminate_instances"
    ) -> list[ResourceOutcome]:
        def one(resource: Resource) -> ResourceOutcome:
            getattr(ec2, call)(InstanceIds=[resource.id])
            return pending(resource.id, call.split("_")[0])

        return each(batch, one, f"ec2:{_camel(call)}")

    # -- parking: stop keeps the EBS volumes and the configuration; start brings it back ---------
    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"state": "stopped"}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("state") == "stopped"

    def in_transition(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("state") in _MOVING

    def unparkable(self, resource: Resource) -> str | None:
        if resource.attributes.get("root_device_type") == "instance-store":
            return "instance-store root device: stopping it would lose its data"
        group = (resource.tags or {}).get(ASG_TAG)
        if group:
            return f"member of Auto Scaling group {group}: park the group (autoscaling:group) instead"
        return None

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._batch(location, resources, "stop_instances")

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._batch(location, resources, "start_instances")

    def _batch(self, location: Location, resources: Sequence[Resource], call: str) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        outcomes: list[ResourceOutcome] = []
        for batch in chunked(list(resources), self.spec.delete_batch_size):
            try:
                getattr(ec2, call)(InstanceIds=[r.id for r in batch])
                outcomes.extend(pending(r.id, call.split("_")[0]) for r in batch)
            except ClientError:  # one bad ID fails the call: settle each on its own
                outcomes.extend(self._one_by_one(ec2, batch, call))
        return outcomes

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        return self.read_many(location, [resource])[resource.id]

    def read_many(
        self, location: Location, resources: Sequence[Resource]
    ) -> dict[str, dict[str, Any] | None]:
        states = self._states(location, resources)
        return {
            r.id: {"state": states[r.id]} if states.get(r.id, "terminated") not in _GONE_STATES else None
            for r in resources
        }

    def _states(self, location: Location, resources: Sequence[Resource]) -> dict[str, str]:
        """Instance ID -> state name for the ones AWS still describes."""
        ec2 = self.client(location)
        states: dict[str, str] = {}
        for batch in chunked([r.id for r in resources], 200):
            # A filter, not InstanceIds: real AWS fails the whole call if one ID is already gone.
            pages = ec2.get_paginator("describe_instances").paginate(
                Filters=[{"Name": "instance-id", "Values": list(batch)}]
            )
            for page in pages:
                for reservation in page["Reservations"]:
                    for instance in reservation["Instances"]:
                        states[instance["InstanceId"]] = instance["State"]["Name"]
        return states

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        states = self._states(location, resources)
        return [
            done(r.id) if states.get(r.id, "terminated") in _GONE_STATES else pending(r.id, states[r.id])
            for r in resources
        ]


def _box_usage(attributes: Mapping[str, Any]) -> Usage:
    """One instance's hours. The Price List files every platform's rows of a type under the same
    usage type (BoxUsage:t3.micro is Linux under operation RunInstances, Windows under
    RunInstances:0002, RHEL, SUSE, SQL Server ... under theirs) and PriceKey has no operation, so
    the book's BoxUsage:<type> is the Linux/UNIX price. Any other platform gets a usage type with
    its operation appended, "BoxUsage:t3.micro (RunInstances:0002)": no book row has that name, so
    the instance is "unknown" rather than priced as Linux (too low), and the name says what a
    book would need. Spot hours (SpotUsage:, a market price) and Dedicated Host instances (the
    host bills, not the instance) are unknown the same way; dedicated tenancy is DedicatedUsage:."""
    instance_type = attributes.get("instance_type") or "unknown"
    operation = attributes.get("usage_operation") or LINUX
    platform = attributes.get("platform_details") or ("Linux/UNIX" if operation == LINUX else operation)
    lifecycle, tenancy = attributes.get("lifecycle"), attributes.get("tenancy") or "default"
    if tenancy == "host":
        note = f"{instance_type} on a Dedicated Host: the host bills, not the instance"
        return Usage("AmazonEC2", f"BoxUsage:{instance_type} (Dedicated Host)", "Hrs", None, note=note)
    if lifecycle == "spot":
        prefix = "SpotUsage"
    elif tenancy == "dedicated":
        prefix = "DedicatedUsage"
    else:
        prefix = "BoxUsage"
    usage_type = f"{prefix}:{instance_type}"
    if operation != LINUX:
        usage_type += f" ({operation})"
    if lifecycle and lifecycle != "spot":
        usage_type += f" ({lifecycle})"  # capacity blocks and the like: not on-demand prices
    note = f"1 x {instance_type}, {platform}" + (", Spot" if lifecycle == "spot" else "")
    return Usage("AmazonEC2", usage_type, "Hrs", 1.0, CostPart.COMPUTE, note=note)


def _ips(count: int) -> str:
    return f"{count} public IPv4 address{'es' if count > 1 else ''} assigned by Amazon"


def _camel(snake: str) -> str:
    return "".join(part.title() for part in snake.split("_"))
