from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict

SPEC = ResourceTypeSpec(
    key="autoscaling:group",
    transition_seconds=60.0,  # instances leaving or joining the group (an estimate)
    actions=frozenset({Action.STOP, Action.START}),
    description="Auto Scaling groups (parked at min = desired = 0 with launches suspended)",
)
PARKED_PROCESSES = ("AZRebalance", "Launch", "ScheduledActions")  # nothing may scale it back up


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

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_auto_scaling_groups").paginate():
            for group in page["AutoScalingGroups"]:
                found.append(
                    self.resource(
                        location,
                        group["AutoScalingGroupName"],
                        name=group["AutoScalingGroupName"],
                        tags=tag_dict(group.get("Tags")),
                        created_at=group.get("CreatedTime"),
                        attributes={"settings": _settings(group)},
                    )
                )
        return found

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
