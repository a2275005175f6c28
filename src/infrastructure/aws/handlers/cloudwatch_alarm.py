from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handlers.base import AwsHandler, chunked, done, read_tags

SPEC = ResourceTypeSpec(
    key="cloudwatch:alarm",
    actions=frozenset({Action.STOP, Action.START}),  # parked: actions off; never deleted here
    delete_batch_size=100,  # Disable/EnableAlarmActions take up to 100 names
    taggable=False,  # tags need one ListTagsForResource call per alarm: not read, so tag filters keep alarms
    description="CloudWatch metric alarms (actions disabled while parked)",
)


def _alarm_tags(cloudwatch: Any, arn: str) -> list[dict[str, str]]:
    return list(cloudwatch.list_tags_for_resource(ResourceARN=arn).get("Tags", []))


class CloudWatchAlarmHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        cloudwatch = self.client(location)
        found = []
        for page in cloudwatch.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm"]):
            for alarm in page.get("MetricAlarms", []):
                tags = read_tags(_alarm_tags, cloudwatch, alarm["AlarmArn"])
                found.append(
                    self.resource(
                        location,
                        alarm["AlarmName"],
                        name=alarm["AlarmName"],
                        tags=tags,
                        attributes={"settings": {"actions_enabled": bool(alarm.get("ActionsEnabled"))}},
                    )
                )
        return found

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"actions_enabled": False}

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
        alarms = self.client(location).describe_alarms(AlarmNames=[resource.id]).get("MetricAlarms", [])
        return {"actions_enabled": bool(alarms[0].get("ActionsEnabled"))} if alarms else None
