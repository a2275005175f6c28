from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costzero.domain.costing import MEMBER_RELATION
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Action, Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.autoscaling import not_found_is_gone
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="autoscaling:group",
    requires=(
        "elasticbeanstalk:environment",  # an environment's own group goes with the environment
        "eks:nodegroup",  # so does a managed node group's: EKS owns it, and recreates what it loses
    ),
    # each carries its elasticbeanstalk:environment-id or eks:cluster-name + eks:nodegroup-name tags
    linked_requires=("elasticbeanstalk:environment", "eks:nodegroup"),
    transition_seconds=60.0,  # instances leaving or joining the group, or terminating with it (an estimate)
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    description=(
        "Auto Scaling groups (deleted with ForceDelete, which terminates their instances, and waited "
        "for until gone; parked at min = desired = 0 with launches suspended)"
    ),
)
NAMES_PER_DESCRIBE = 50  # DescribeAutoScalingGroups takes a list of names; asked in chunks
PARKED_PROCESSES = ("AZRebalance", "Launch", "ScheduledActions")  # nothing may scale it back up
BEANSTALK_TAG = "elasticbeanstalk:environment-id"
EKS_CLUSTER_TAG, EKS_NODEGROUP_TAG = "eks:cluster-name", "eks:nodegroup-name"


def _owners(tags: Mapping[str, str]) -> tuple[Link, ...]:
    """The service that made the group and manages it: it goes with its owner, never before
    (a "belongs to" link; eks:nodegroup resources are named "<cluster>/<nodegroup>")."""
    links = []
    if tags.get(BEANSTALK_TAG):
        links.append(Link("elasticbeanstalk:environment", tags[BEANSTALK_TAG], MEMBER_RELATION))
    if tags.get(EKS_CLUSTER_TAG) and tags.get(EKS_NODEGROUP_TAG):
        nodegroup = f"{tags[EKS_CLUSTER_TAG]}/{tags[EKS_NODEGROUP_TAG]}"
        links.append(Link("eks:nodegroup", nodegroup, MEMBER_RELATION))
    return tuple(links)


def _settings(group: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "min": group["MinSize"],
        "max": group["MaxSize"],
        "desired": group["DesiredCapacity"],
        "suspended": sorted(p["ProcessName"] for p in group.get("SuspendedProcesses", [])),
    }


class AutoScalingGroupHandler(AwsHandler):
    spec = SPEC
    free_because = "billed as its EC2 instances (ec2:instance), which carry a 'belongs to' link to it"
    iam_actions = (
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DeleteAutoScalingGroup",
        "autoscaling:UpdateAutoScalingGroup",
        "autoscaling:SuspendProcesses",
        "autoscaling:ResumeProcesses",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_auto_scaling_groups").paginate():
            for group in page["AutoScalingGroups"]:
                tags = tag_dict(group.get("Tags"))
                found.append(
                    self.resource(
                        location,
                        group["AutoScalingGroupName"],
                        name=group["AutoScalingGroupName"],
                        tags=tags,
                        created_at=group.get("CreatedTime"),
                        attributes={"settings": _settings(group)},
                        links=_owners(tags),
                    )
                )
        return found

    # -- destroy: ForceDelete terminates the instances with the group (without it AWS refuses a group
    # that still has instances: ResourceInUse / ScalingActivityInProgress); the group stays listed,
    # Status "Delete in progress", until its instances are gone
    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        autoscaling = self.client(location)

        def delete(group: Resource) -> ResourceOutcome:
            autoscaling.delete_auto_scaling_group(AutoScalingGroupName=group.id, ForceDelete=True)
            return pending(group.id, "deleting with its instances")

        return each(resources, delete, "autoscaling:DeleteAutoScalingGroup", not_found_is_gone)

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        listed = self._listed(location, [r.id for r in resources])
        return [
            pending(r.id, listed[r.id] or "deleting") if r.id in listed else done(r.id) for r in resources
        ]

    def _listed(self, location: Location, names: Sequence[str]) -> dict[str, str | None]:
        """Group name -> its Status (None unless it is being deleted), for the groups still listed."""
        paginator = self.client(location).get_paginator("describe_auto_scaling_groups")
        listed: dict[str, str | None] = {}
        for batch in chunked(list(names), NAMES_PER_DESCRIBE):
            for page in paginator.paginate(AutoScalingGroupNames=list(batch)):
                listed.update({g["AutoScalingGroupName"]: g.get("Status") for g in page["AutoScalingGroups"]})
        return listed

    def unparkable(self, resource: Resource) -> str | None:
        for link in resource.links:
            if link.type_key == "eks:nodegroup":
                return f"managed by EKS node group {link.id}: park the node group (eks:nodegroup) instead"
            if link.type_key == "elasticbeanstalk:environment":
                return f"managed by Elastic Beanstalk environment {link.id}, which would undo the change"
        return None

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        suspended = sorted(set(settings.get("suspended", [])) | set(PARKED_PROCESSES))
        return {"min": 0, "desired": 0, "suspended": suspended}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("desired") == 0 and settings.get("min") == 0

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        autoscaling = self.client(location)

        def park(group: Resource) -> None:
            # suspend first, so no scheduled action or rebalance races the scale-in
            autoscaling.suspend_processes(
                AutoScalingGroupName=group.id, ScalingProcesses=list(PARKED_PROCESSES)
            )
            autoscaling.update_auto_scaling_group(AutoScalingGroupName=group.id, MinSize=0, DesiredCapacity=0)

        return each(resources, park, "autoscaling:UpdateAutoScalingGroup")

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        autoscaling = self.client(location)

        def restore(group: Resource) -> None:
            original = saved[group.id]
            autoscaling.update_auto_scaling_group(
                AutoScalingGroupName=group.id,
                MinSize=original["min"],
                MaxSize=original["max"],
                DesiredCapacity=original["desired"],
            )
            resume = sorted(set(PARKED_PROCESSES) - set(original.get("suspended", [])))
            if resume:  # processes the user had suspended themselves stay suspended
                autoscaling.resume_processes(AutoScalingGroupName=group.id, ScalingProcesses=resume)

        return each(resources, restore, "autoscaling:UpdateAutoScalingGroup")

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        groups = self.client(location).describe_auto_scaling_groups(AutoScalingGroupNames=[resource.id])[
            "AutoScalingGroups"
        ]
        return _settings(groups[0]) if groups else None
