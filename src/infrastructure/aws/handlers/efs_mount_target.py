from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending
from costzero.infrastructure.aws.handler_kit.efs import file_systems, mount_targets

SPEC = ResourceTypeSpec(
    key="efs:mount-target",
    transition_seconds=60.0,  # deleting -> gone, its network interface with it: a minute or so (an estimate)
    taggable=False,  # mount targets carry no tags
    description="EFS mount targets (each with the network interface EFS manages in its subnet)",
)


class EfsMountTargetHandler(AwsHandler):
    """Mount targets of every file system in the region. DeleteMountTarget is asynchronous (deleting,
    then gone) and removes the mount target's network interface, which EFS owns (requester-managed:
    never deleted on its own). A mount target still creating or updating answers
    IncorrectMountTargetState (not yet); a missing one MountTargetNotFound (gone)."""

    spec = SPEC
    free_because = "mount targets have no charge of their own (the file system's storage is billed)"
    iam_actions = (
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeMountTargets",
        "elasticfilesystem:DeleteMountTarget",
        "ec2:DeleteNetworkInterface",  # DeleteMountTarget needs it on the mount target's interface
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        efs = self.client(location)
        found = []
        for file_system in file_systems(efs):
            if not file_system.get("NumberOfMountTargets", 1):
                continue  # nothing to describe
            for target in mount_targets(efs, file_system["FileSystemId"]):
                found.append(
                    self.resource(
                        location,
                        target["MountTargetId"],
                        name=f"{target['FileSystemId']} in {target.get('AvailabilityZoneName', '?')}",
                        tags={},
                        attributes={
                            "file_system_id": target["FileSystemId"],
                            "subnet_id": target.get("SubnetId"),
                            "network_interface_id": target.get("NetworkInterfaceId"),
                            "state": target.get("LifeCycleState"),
                        },
                    )
                )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        efs = self.client(location)

        def delete(target: Resource) -> ResourceOutcome:  # no batch API
            if target.attributes.get("state") == "deleting":
                return pending(target.id, "already deleting")
            efs.delete_mount_target(MountTargetId=target.id)
            return pending(target.id, "deleting")

        return each(resources, delete, "elasticfilesystem:DeleteMountTarget")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        efs = self.client(location)
        outcomes = []
        for target in resources:
            try:
                found = efs.describe_mount_targets(MountTargetId=target.id).get("MountTargets", [])
            except ClientError as error:
                if error_code(error) == "MountTargetNotFound":
                    outcomes.append(done(target.id))
                else:
                    outcomes.append(outcome(target.id, error, "elasticfilesystem:DescribeMountTargets"))
                continue
            state = found[0].get("LifeCycleState") if found else "deleted"
            outcomes.append(done(target.id) if state == "deleted" else pending(target.id, str(state)))
        return outcomes
