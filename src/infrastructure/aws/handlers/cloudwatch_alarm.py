from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, read_all_tags

SPEC = ResourceTypeSpec(
    key="cloudwatch:alarm",
    actions=frozenset({Action.STOP, Action.START}),  # parked: actions off; never deleted here
    delete_batch_size=100,  # Disable/EnableAlarmActions take up to 100 names
    # tags are read with one ListTagsForResource per alarm (8 at a time), so keep-tags and groups apply
    description="CloudWatch metric alarms (actions disabled while parked)",
)


def _scaling_policy(alarm: Mapping[str, Any]) -> str | None:
    """The target tracking policy that owns this alarm, if any.

    Target tracking (EC2 and Application Auto Scaling) creates its own alarms, named
    "TargetTracking-...", whose action is the policy; AWS deletes and recreates them with the policy
    (new names), and says not to edit them. Parking the table or group parks them.
    """
    if not str(alarm.get("AlarmName", "")).startswith("TargetTracking-"):
        return None
    return next((a for a in alarm.get("AlarmActions", []) if ":scalingPolicy:" in a), None)


def _alarm_tags(cloudwatch: Any, arn: str) -> list[dict[str, str]]:
    return list(cloudwatch.list_tags_for_resource(ResourceARN=arn).get("Tags", []))


class CloudWatchAlarmHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        cloudwatch = self.client(location)
        pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm"])
        alarms = [alarm for page in pages for alarm in page.get("MetricAlarms", [])]
        # ListTagsForResource is the authoritative read (the tagging API lags behind new tags)
        tags = read_all_tags(_alarm_tags, [(cloudwatch, alarm["AlarmArn"]) for alarm in alarms])
        return [
            self.resource(
                location,
                alarm["AlarmName"],
                name=alarm["AlarmName"],
                tags=alarm_tags,
                attributes={
                    "settings": {"actions_enabled": bool(alarm.get("ActionsEnabled"))},
                    "scaling_policy": _scaling_policy(alarm),
                },
            )
            for alarm, alarm_tags in zip(alarms, tags, strict=True)
        ]

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"actions_enabled": False}

    def unparkable(self, resource: Resource) -> str | None:
        policy = resource.attributes.get("scaling_policy")
        if policy:
            return f"managed by target tracking policy {policy}: park what it scales instead"
        return None

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("actions_enabled") is False

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._switch(location, resources, "disable_alarm_actions")

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        # only those that were enabled are in a start plan: the others were never parked
        enable = [r for r in resources if saved.get(r.id, {}).get("actions_enabled", True)]
        return self._switch(location, enable, "enable_alarm_actions")

    def _switch(self, location: Location, resources: Sequence[Resource], call: str) -> list[ResourceOutcome]:
        cloudwatch = self.client(location)
        outcomes: list[ResourceOutcome] = []
        for batch in chunked(list(resources), self.spec.delete_batch_size):
            try:
                getattr(cloudwatch, call)(AlarmNames=[r.id for r in batch])
                outcomes.extend(done(r.id) for r in batch)
            except ClientError as error:
                action = "cloudwatch:" + "".join(p.title() for p in call.split("_"))
                outcomes.extend(outcome(r.id, error, action) for r in batch)
        return outcomes

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        return self.read_many(location, [resource])[resource.id]

    def read_many(
        self, location: Location, resources: Sequence[Resource]
    ) -> dict[str, dict[str, Any] | None]:
        cloudwatch = self.client(location)
        found: dict[str, dict[str, Any] | None] = {r.id: None for r in resources}
        for batch in chunked([r.id for r in resources], 100):  # DescribeAlarms takes 100 names
            pages = cloudwatch.get_paginator("describe_alarms").paginate(
                AlarmNames=list(batch), AlarmTypes=["MetricAlarm"]
            )
            for page in pages:
                for alarm in page.get("MetricAlarms", []):
                    found[alarm["AlarmName"]] = {"actions_enabled": bool(alarm.get("ActionsEnabled"))}
        return found
