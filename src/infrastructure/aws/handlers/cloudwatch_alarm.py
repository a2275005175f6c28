from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, read_all_tags

SPEC = ResourceTypeSpec(
    key="cloudwatch:alarm",
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),  # parked: actions off
    # DeleteAlarms and Disable/EnableAlarmActions take up to 100 names (DeleteAlarms: at most one of
    # them a composite alarm)
    delete_batch_size=100,
    # no requires: an alarm names SNS topics and scaling policies as actions, which do not hold it.
    # What does hold an alarm is a composite alarm whose rule names it: the same type, so discovery
    # links each alarm to the composites naming it and `delete` removes composites first.
    # tags are read with one ListTagsForResource per alarm (8 at a time), so keep-tags and groups apply
    description="CloudWatch metric and composite alarms (actions disabled while parked)",
)
ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"]
SCALING_POLICY = "autoscaling:scaling-policy"  # not a type costzero deletes: its alarms go with it
# ALARM(name), OK("name"), INSUFFICIENT_DATA(arn:...:alarm:name) in a composite alarm's rule
_RULE_REFERENCE = re.compile(r"\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(\"[^\"]*\"|'[^']*'|[^)]*?)\s*\)")
# "Cannot delete a,b as there are composite alarm(s) depending on them." (ValidationError)
_HELD = re.compile(r"Cannot delete (.+?) as there are composite alarm", re.IGNORECASE)


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
    iam_actions = (
        "cloudwatch:DescribeAlarms",
        "cloudwatch:ListTagsForResource",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:DisableAlarmActions",
        "cloudwatch:EnableAlarmActions",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        cloudwatch = self.client(location)
        pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmTypes=ALARM_TYPES)
        metric, composite = [], []
        for page in pages:
            metric.extend(page.get("MetricAlarms", []))
            composite.extend(page.get("CompositeAlarms", []))
        alarms = [*metric, *composite]
        # ListTagsForResource is the authoritative read (the tagging API lags behind new tags)
        tags = read_all_tags(_alarm_tags, [(cloudwatch, alarm["AlarmArn"]) for alarm in alarms])
        referrers = _referrers(composite)
        return [
            self.resource(
                location,
                alarm["AlarmName"],
                name=alarm["AlarmName"],
                tags=alarm_tags,
                attributes={
                    "settings": {"actions_enabled": bool(alarm.get("ActionsEnabled"))},
                    "scaling_policy": _scaling_policy(alarm),
                    "pricing": _composite_pricing() if "AlarmRule" in alarm else _pricing(alarm),
                    "composite": "AlarmRule" in alarm,
                    "references": sorted(_references(alarm.get("AlarmRule"))),
                },
                links=_links(alarm, referrers.get(alarm["AlarmName"], ())),
            )
            for alarm, alarm_tags in zip(alarms, tags, strict=True)
        ]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Alarm metrics per month, billed while the alarm exists: parking only turns its actions
        off, so nothing of it is saved by a stop (STORAGE). The free tier (10 standard alarm
        metrics per account) is not deducted."""
        pricing = resource.attributes.get("pricing") or {}
        if pricing.get("composite"):
            note = "composite alarm"
            return (
                Usage(
                    CLOUDWATCH, "CW:CompositeAlarmMonitorUsage", "Alarms", 1.0, CostPart.STORAGE, True, note
                ),
            )
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
                AlarmNames=list(batch), AlarmTypes=ALARM_TYPES
            )
            for page in pages:
                for alarm in [*page.get("MetricAlarms", []), *page.get("CompositeAlarms", [])]:
                    found[alarm["AlarmName"]] = {"actions_enabled": bool(alarm.get("ActionsEnabled"))}
        return found

    # -- destroy -----------------------------------------------------------------------------
    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """Composite alarms before the alarms their rules name (AWS refuses to delete an alarm a
        composite still names, and takes at most one composite per DeleteAlarms), in rounds: each
        round deletes what no remaining composite of this call names. DeleteAlarms fails as a whole
        on any bad name, so names AWS no longer describes are settled as gone first."""
        cloudwatch = self.client(location)
        existing = self.read_many(location, resources)
        outcomes = [
            ResourceOutcome(r.id, OutcomeKind.GONE, "already deleted")
            for r in resources
            if existing[r.id] is None
        ]
        remaining = {r.id: r for r in resources if existing[r.id] is not None}
        while remaining:
            named = {
                ref for r in remaining.values() for ref in r.attributes.get("references", ()) if ref != r.id
            }
            free = [r for r in remaining.values() if r.id not in named]
            if not free:  # composites naming each other in a cycle: AWS cannot delete any of them
                message = "in a cycle of composite alarms: set one's rule to FALSE to delete them"
                outcomes.extend(ResourceOutcome(i, OutcomeKind.FAILED, message) for i in remaining)
                break
            for resource in free:
                del remaining[resource.id]
            round_outcomes = self._delete_round(cloudwatch, free)
            outcomes.extend(round_outcomes)
            failed = {o.resource_id for o in round_outcomes if not o.kind.is_success}
            if failed:  # what a composite left standing names cannot go in this attempt
                held = _named_by([r for r in free if r.id in failed], remaining)
                outcomes.extend(
                    ResourceOutcome(i, OutcomeKind.NOT_YET, "a composite alarm naming it is not deleted yet")
                    for i in held
                )
                for alarm_id in held:
                    del remaining[alarm_id]
        return outcomes

    def _delete_round(self, cloudwatch: Any, alarms: Sequence[Resource]) -> list[ResourceOutcome]:
        composites = [a for a in alarms if a.attributes.get("composite")]
        metric = [a for a in alarms if not a.attributes.get("composite")]
        batches = [[c] for c in composites] + [list(b) for b in chunked(metric, self.spec.delete_batch_size)]
        outcomes: list[ResourceOutcome] = []
        for batch in batches:
            outcomes.extend(self._delete_batch(cloudwatch, batch))
        return outcomes

    @staticmethod
    def _delete_batch(cloudwatch: Any, batch: Sequence[Resource]) -> list[ResourceOutcome]:
        """One DeleteAlarms; when AWS names alarms a composite still holds, those are NOT_YET and the
        rest of the batch is sent again without them (AWS deleted none of the batch)."""
        names = [a.id for a in batch]
        if not names:
            return []
        try:
            cloudwatch.delete_alarms(AlarmNames=names)
            return [done(n) for n in names]
        except ClientError as error:
            held = _held_names(error, names)
            if not held:
                return [outcome(n, error, "cloudwatch:DeleteAlarms") for n in names]
            rest = CloudWatchAlarmHandler._delete_batch(cloudwatch, [a for a in batch if a.id not in held])
            return [
                ResourceOutcome(n, OutcomeKind.NOT_YET, error_message(error)) for n in names if n in held
            ] + rest


def _composite_pricing() -> dict[str, Any]:
    return {"composite": True}


def _references(rule: Any) -> set[str]:
    """The alarm names a composite alarm's rule refers to (by name or by ARN)."""
    if not isinstance(rule, str):
        return set()
    names = set()
    for match in _RULE_REFERENCE.finditer(rule):
        reference = match.group(1).strip().strip("\"'")
        if reference.upper() in ("TRUE", "FALSE") or not reference:
            continue
        names.add(reference.split(":alarm:", 1)[1] if ":alarm:" in reference else reference)
    return names


def _referrers(composites: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Alarm name -> the composite alarms whose rules name it."""
    referrers: dict[str, list[str]] = {}
    for composite in composites:
        for name in sorted(_references(composite.get("AlarmRule"))):
            if name != composite["AlarmName"]:
                referrers.setdefault(name, []).append(composite["AlarmName"])
    return referrers


def _links(alarm: Mapping[str, Any], composites: Sequence[str]) -> tuple[Link, ...]:
    """What must be gone before the alarm can go: the composites naming it and, for an alarm a
    target tracking policy owns, that policy (AWS deletes the alarm with it; never deleted here)."""
    links = [Link("cloudwatch:alarm", name, "named by composite alarm") for name in composites]
    policy = _scaling_policy(alarm)
    if policy:
        links.append(Link(SCALING_POLICY, policy, "managed by"))
    return tuple(links)


def _named_by(failed: Sequence[Resource], remaining: Mapping[str, Resource]) -> set[str]:
    """The remaining alarms that a failed composite names, directly or through other composites."""
    held: set[str] = set()
    frontier = [ref for r in failed for ref in r.attributes.get("references", ())]
    while frontier:
        name = frontier.pop()
        if name in remaining and name not in held:
            held.add(name)
            frontier.extend(remaining[name].attributes.get("references", ()))
    return held


def _held_names(error: ClientError, names: Sequence[str]) -> set[str]:
    """The names of `names` AWS says a composite alarm still holds (ValidationError)."""
    if error_code(error) != "ValidationError":
        return set()
    match = _HELD.search(str(error.response.get("Error", {}).get("Message", "")))
    if not match:
        return set()
    said = {n.strip() for n in match.group(1).split(",")}
    held = {n for n in names if n in said}
    return held or (set(names) if len(names) == 1 else set())
