from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.change_limits import KINESIS_CHANGES_PER_WINDOW, shard_steps
from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, pending, read_tags

SPEC = ResourceTypeSpec(
    key="kinesis:stream",
    # a delivery stream reading from it goes first (a destroy leaves no Firehose source dangling)
    requires=("firehose:delivery-stream",),
    transition_seconds=30.0,  # UPDATING -> ACTIVE after a shard or mode change; DELETING -> gone
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    description="Kinesis data streams (destroyed with their consumers; parked: provisioned with 1 shard, "
    "data and retention kept)",
)
PROVISIONED, ON_DEMAND = "PROVISIONED", "ON_DEMAND"
KINESIS = "AmazonKinesis"
PARKED_SHARDS = 1


def _settings(summary: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "mode": summary.get("StreamModeDetails", {}).get("StreamMode", PROVISIONED),
        "shards": summary["OpenShardCount"],
        "retention_hours": summary.get("RetentionPeriodHours"),
    }


def _stream_tags(kinesis: Any, name: str) -> list[dict[str, str]]:
    """ListTagsForStream pages by the last key seen (no botocore paginator)."""
    tags: list[dict[str, str]] = []
    while True:
        after = {"ExclusiveStartTagKey": tags[-1]["Key"]} if tags else {}
        page = kinesis.list_tags_for_stream(StreamName=name, **after)
        tags.extend(page.get("Tags", []))
        if not page.get("HasMoreTags") or not page.get("Tags"):
            return tags


class KinesisStreamHandler(AwsHandler):
    """One change per call: each UpdateShardCount may at most halve or double, and the stream must be
    ACTIVE again before the next; until the target is reached the answer is NOT_YET ("step i of n")
    and the orchestrator calls again after its wait delay."""

    spec = SPEC
    change_limit = KINESIS_CHANGES_PER_WINDOW
    iam_actions = (
        "kinesis:ListStreams",
        "kinesis:DescribeStreamSummary",
        "kinesis:ListTagsForStream",
        "kinesis:DeleteStream",
        "kinesis:UpdateShardCount",
        "kinesis:UpdateStreamMode",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        kinesis = self.client(location)
        found = []
        for page in kinesis.get_paginator("list_streams").paginate():
            for name in page.get("StreamNames", []):
                summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
                found.append(
                    self.resource(
                        location,
                        name,
                        name=name,
                        tags=read_tags(_stream_tags, kinesis, name),
                        created_at=summary.get("StreamCreationTimestamp"),
                        attributes={"settings": _settings(summary), "status": summary["StreamStatus"]},
                    )
                )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Provisioned: shard hours, and extended-retention shard hours when data is kept over 24
        hours. Parking leaves one provisioned shard (retention unchanged), so one shard is what a
        stop cannot end (STORAGE here: billed while the stream exists) and the other shards are
        COMPUTE. On-demand: the stream hour, COMPUTE; a stop turns it into that one provisioned
        shard, which this estimate does not subtract (the saving is overstated by one shard hour).
        Data in and out, PUT payload units and retention beyond 7 days are billed per use and GB."""
        settings = resource.attributes.get("settings", {})
        if settings.get("mode") == ON_DEMAND:
            note = "on-demand stream; parked it keeps 1 provisioned shard"
            return (Usage(KINESIS, "OnDemand-StreamHour", "StreamHour", 1.0, note=note),)
        kinds = ["Storage-ShardHour"]
        if (settings.get("retention_hours") or 24) > 24:
            kinds.append("Extended-ShardHour")
        shards = settings.get("shards")
        usages = []
        for kind in kinds:
            if shards is None:
                usages.append(
                    Usage(KINESIS, kind, "ShardHour", None, CostPart.STORAGE, note="shards unknown")
                )
                continue
            kept = min(int(shards), PARKED_SHARDS)
            usages.append(
                Usage(KINESIS, kind, "ShardHour", float(kept), CostPart.STORAGE, note="kept parked")
            )
            if int(shards) > kept:
                note = f"{int(shards) - kept} of {shards} shards"
                usages.append(Usage(KINESIS, kind, "ShardHour", float(int(shards) - kept), note=note))
        return tuple(usages)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        kinesis = self.client(location)

        def delete(stream: Resource) -> ResourceOutcome:  # no batch API
            if stream.attributes.get("status") == "DELETING":
                return pending(stream.id, "deleting")
            # with its registered consumers (enhanced fan-out), which would otherwise refuse it;
            # ResourceInUseException while CREATING or UPDATING -> not yet
            kinesis.delete_stream(StreamName=stream.id, EnforceConsumerDeletion=True)
            return pending(stream.id, "deleting")

        return each(resources, delete, "kinesis:DeleteStream")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        kinesis = self.client(location)

        def check(stream: Resource) -> ResourceOutcome:
            try:
                summary = kinesis.describe_stream_summary(StreamName=stream.id)["StreamDescriptionSummary"]
            except ClientError as error:
                if outcome(stream.id, error).kind is OutcomeKind.GONE:
                    return ResourceOutcome(stream.id, OutcomeKind.DONE)
                raise
            return pending(stream.id, str(summary.get("StreamStatus")))

        return [check(stream) for stream in resources]

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"mode": PROVISIONED, "shards": PARKED_SHARDS}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("mode") == PROVISIONED and settings.get("shards") == 1

    def restore_target(self, saved: Mapping[str, Any], parked: Mapping[str, Any]) -> dict[str, Any]:
        if saved.get("mode") == ON_DEMAND:
            return {"mode": ON_DEMAND}
        return {"mode": PROVISIONED, "shards": saved["shards"]}

    def changes(self, current: Mapping[str, Any], target: Mapping[str, Any]) -> int:
        """How many limited changes (mode switches count as one) take `current` to `target`."""
        mode_change = int(current.get("mode") != target.get("mode"))
        if target.get("mode") == ON_DEMAND:
            return mode_change
        return mode_change + len(shard_steps(int(current["shards"]), int(target["shards"])))

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        kinesis = self.client(location)
        parked = {"mode": PROVISIONED, "shards": 1}
        return each(resources, lambda stream: self._step(kinesis, stream, parked), "kinesis:UpdateShardCount")

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        kinesis = self.client(location)
        return each(
            resources,
            lambda stream: self._step(kinesis, stream, saved[stream.id]),
            "kinesis:UpdateShardCount",
        )

    @staticmethod
    def _step(kinesis: Any, stream: Resource, target: Mapping[str, Any]) -> ResourceOutcome:
        """One change towards `target` (AWS errors are settled by the caller, `each`)."""
        summary = kinesis.describe_stream_summary(StreamName=stream.id)["StreamDescriptionSummary"]
        if summary["StreamStatus"] != "ACTIVE":
            return ResourceOutcome(stream.id, OutcomeKind.NOT_YET, f"stream is {summary['StreamStatus']}")
        current = _settings(summary)
        arn = summary["StreamARN"]
        if target["mode"] == ON_DEMAND:  # back to on-demand: one switch, shard count is AWS's
            if current["mode"] != ON_DEMAND:
                kinesis.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": ON_DEMAND})
            return pending(stream.id, "switching to on-demand")
        if current["mode"] == ON_DEMAND:
            kinesis.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": PROVISIONED})
            return ResourceOutcome(stream.id, OutcomeKind.NOT_YET, "switched to provisioned")
        steps = shard_steps(current["shards"], int(target["shards"]))
        if not steps:
            return pending(stream.id, "at target")
        kinesis.update_shard_count(
            StreamName=stream.id, TargetShardCount=steps[0], ScalingType="UNIFORM_SCALING"
        )
        if len(steps) == 1:
            return pending(stream.id, f"{current['shards']} -> {steps[0]} shards")
        return ResourceOutcome(
            stream.id,
            OutcomeKind.NOT_YET,
            f"{current['shards']} -> {steps[0]} shards, {len(steps) - 1} step(s) to go",
        )

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        try:
            summary = self.client(location).describe_stream_summary(StreamName=resource.id)[
                "StreamDescriptionSummary"
            ]
        except ClientError as error:
            if outcome(resource.id, error).kind is OutcomeKind.GONE:
                return None
            raise
        return _settings(summary)
