from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict
from costzero.infrastructure.aws.handler_kit.vpc import describe_by_ids, listed, owner

SPEC = ResourceTypeSpec(
    key="ec2:network-interface",
    # an interface attached to an instance is detached or goes with it; an EFS mount target's
    # interface goes with the mount target (deleting it first makes the mount target, and so
    # its file system, undeletable), in case it is not recognised as EFS's at discovery
    requires=("ec2:instance", "efs:mount-target"),
    linked_requires=("ec2:instance",),  # discovery links each attached interface to its instance
    transition_seconds=5.0,  # detaching -> available
    description="Elastic network interfaces you created (not those AWS services manage)",
)


def _links(interface: Mapping[str, Any]) -> tuple[Link, ...]:
    attachment = interface.get("Attachment") or {}
    if attachment.get("InstanceId") and attachment.get("Status") in ("attaching", "attached"):
        return (Link("ec2:instance", attachment["InstanceId"], "attached to"),)
    return ()


class Ec2NetworkInterfaceHandler(AwsHandler):
    spec = SPEC
    free_because = (
        "network interfaces have no charge of their own (a public IPv4 address on one is billed "
        "with its instance or as an Elastic IP)"
    )
    iam_actions = (
        "ec2:DescribeNetworkInterfaces",
        "ec2:DetachNetworkInterface",
        "ec2:DeleteNetworkInterface",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for interface in listed(self.client(location), "describe_network_interfaces", "NetworkInterfaces"):
            if owner(interface) is not None:
                continue  # goes with its owner (see `owner`)
            tags = tag_dict(interface.get("TagSet"))
            attachment = interface.get("Attachment") or {}
            found.append(
                self.resource(
                    location,
                    interface["NetworkInterfaceId"],
                    name=tags.get("Name") or interface.get("Description") or None,
                    tags=tags,
                    attributes={
                        "status": interface.get("Status"),
                        "interface_type": interface.get("InterfaceType", "interface"),
                        "vpc_id": interface.get("VpcId"),
                        "subnet_id": interface.get("SubnetId"),
                        "private_ip": interface.get("PrivateIpAddress"),
                        "instance_id": attachment.get("InstanceId"),
                        "device_index": attachment.get("DeviceIndex"),
                    },
                    links=_links(interface),
                )
            )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        current = describe_by_ids(
            ec2,
            "describe_network_interfaces",
            "NetworkInterfaces",
            "NetworkInterfaceId",
            "network-interface-id",
            [r.id for r in resources],
        )

        def delete(interface: Resource) -> ResourceOutcome | None:
            live = current.get(interface.id)
            if live is None:  # a terminated instance takes the interfaces marked DeleteOnTermination
                why = "deleted with its instance" if interface.links else "already deleted"
                return ResourceOutcome(interface.id, OutcomeKind.GONE, why)
            attachment = live.get("Attachment") or {}
            status = attachment.get("Status")
            if status in ("attaching", "attached"):
                return self._detach(ec2, interface, attachment)
            if status == "detaching":
                return ResourceOutcome(interface.id, OutcomeKind.NOT_YET, "detaching")
            ec2.delete_network_interface(NetworkInterfaceId=interface.id)  # InUse -> not yet
            return None

        return each(resources, delete, "ec2:DeleteNetworkInterface")

    @staticmethod
    def _detach(ec2: Any, interface: Resource, attachment: Mapping[str, Any]) -> ResourceOutcome:
        """Detach from an instance the run deleted (still winding down); never from another one:
        an instance it was attached to since discovery is named as the blocker, and a run that
        does not delete that instance leaves the interface (BLOCKED)."""
        instance = str(attachment.get("InstanceId") or "")
        if instance not in {link.id for link in interface.links}:
            message = f"attached to {instance} since discovery"
            return ResourceOutcome(interface.id, OutcomeKind.NOT_YET, message, (instance,))
        if attachment.get("DeviceIndex") == 0:  # a primary interface cannot be detached
            message = f"primary interface of {instance}: goes when it is terminated"
            return ResourceOutcome(interface.id, OutcomeKind.NOT_YET, message, (instance,))
        if attachment.get("Status") == "attached":
            try:
                ec2.detach_network_interface(AttachmentId=attachment["AttachmentId"])
            except ClientError as error:  # its own IAM action, if denied
                return outcome(interface.id, error, "ec2:DetachNetworkInterface")
        return ResourceOutcome(interface.id, OutcomeKind.NOT_YET, f"detaching from {instance}")
