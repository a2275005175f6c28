from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
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


CLOUDWATCH = "AmazonCloudWatch"
HIGH_RESOLUTION_BELOW = 60  # seconds: an alarm on a 10 or 30 second period is high resolution


def _pricing(alarm: Mapping[str, Any]) -> dict[str, Any]:
    """What an alarm is billed for: its alarm metrics (one for an alarm on a metric; each metric a
    metric math expression references; plus the two bands of an anomaly detection alarm) at
    standard or high resolution; a Metrics Insights query alarm is billed per metric its query
    analyzes, which the alarm does not say (None)."""
    queries = alarm.get("Metrics") or []
    if not queries:
        period = alarm.get("Period")
        return {"metrics": 1, "high_resolution": bool(period and period < HIGH_RESOLUTION_BELOW)}
    expressions = [str(q.get("Expression", "")) for q in queries if q.get("Expression")]
    stats = [q["MetricStat"] for q in queries if q.get("MetricStat")]
    periods = [s.get("Period") for s in stats if s.get("Period")] + [
        q["Period"] for q in queries if q.get("Period")
    ]
    high_resolution = bool(periods) and min(periods) < HIGH_RESOLUTION_BELOW
    if any(e.lstrip().upper().startswith("SELECT") for e in expressions):
        return {"metrics": None, "high_resolution": False, "insights": True}
    bands = 2 if any("ANOMALY_DETECTION_BAND" in e.upper() for e in expressions) else 0
    return {"metrics": len(stats) + bands, "high_resolution": high_resolution}


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
                    "pricing": _pricing(alarm),
                },
            )
            for alarm, alarm_tags in zip(alarms, tags, strict=True)
        ]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Alarm metrics per month, billed while the alarm exists: parking only turns its actions
        off, so nothing of it is saved by a stop (STORAGE). The free tier (10 standard alarm
        metrics per account) is not deducted."""
        pricing = resource.attributes.get("pricing") or {}
        if pricing.get("insights"):
            note = "Metrics Insights query alarm: billed per metric analyzed, not known here"
            return (
                Usage(CLOUDWATCH, "CW:MetricInsightAlarmUsage", "Alarms", None, CostPart.STORAGE, True, note),
            )
        high = bool(pricing.get("high_resolution"))
        usage_type = "CW:HighResAlarmMonitorUsage" if high else "CW:AlarmMonitorUsage"
        metrics = pricing.get("metrics")
        note = f"{metrics} alarm metric(s), {'high' if high else 'standard'} resolution"
        quantity = None if metrics is None else float(metrics)
        return (Usage(CLOUDWATCH, usage_type, "Alarms", quantity, CostPart.STORAGE, monthly=True, note=note),)

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
