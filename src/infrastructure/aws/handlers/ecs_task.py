from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="ecs:task",
    # nothing must go first; a service's own tasks are not listed here (deleting the service stops them)
    transition_seconds=30.0,  # RUNNING -> STOPPED: containers get 30 s after SIGTERM by default
    delete_batch_size=100,  # DescribeTasks confirms up to 100 per call
    description="ECS tasks run outside any service (RunTask, StartTask), stopped",
)
ECS = "AmazonECS"
DESCRIBE_BATCH = 100  # DescribeTasks takes up to 100 tasks
STOP_REASON = "stopped by costzero destroy"


def _owned_by_service(task: Mapping[str, Any]) -> bool:
    """Tasks a service started (group "service:<name>", startedBy "ecs-svc/..."): the service's."""
    return str(task.get("group", "")).startswith("service:") or str(task.get("startedBy", "")).startswith(
        "ecs-svc/"
    )


def _architecture(task: Mapping[str, Any]) -> str:
    for attribute in task.get("attributes", []):
        if attribute.get("name") == "ecs.cpu-architecture":
            return "ARM64" if str(attribute.get("value")).lower() == "arm64" else "X86_64"
    return "X86_64"


class EcsTaskHandler(AwsHandler):
    spec = SPEC
    # shown only for tasks that declare no usage: those on container instances
    free_because = "its containers run on container instances, billed as ec2:instance"
    iam_actions = (
        "ecs:ListClusters",
        "ecs:ListTasks",
        "ecs:DescribeTasks",
        "ecs:DescribeTaskDefinition",
        "ecs:StopTask",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ecs = self.client(location)
        found: list[Resource] = []
        sizes: dict[str, tuple[str | None, str | None]] = {}  # task definition -> (cpu, memory), read once
        for page in ecs.get_paginator("list_clusters").paginate():
            for cluster in page["clusterArns"]:
                arns = [
                    arn
                    for p in ecs.get_paginator("list_tasks").paginate(
                        cluster=cluster, desiredStatus="RUNNING"
                    )
                    for arn in p["taskArns"]
                ]
                for batch in chunked(arns, DESCRIBE_BATCH):
                    tasks = ecs.describe_tasks(cluster=cluster, tasks=list(batch), include=["TAGS"])["tasks"]
                    found.extend(
                        self._resource(location, cluster, _sized(ecs, t, sizes))
                        for t in tasks
                        if not _owned_by_service(t)
                    )
        return found

    def _resource(self, location: Location, cluster: str, task: Mapping[str, Any]) -> Resource:
        definition = str(task.get("taskDefinitionArn", ""))
        return self.resource(
            location,
            task["taskArn"],
            name=definition.rsplit("/", 1)[-1] or None,  # family:revision
            tags=tag_dict([{"Key": t["key"], "Value": t["value"]} for t in task.get("tags", [])]),
            created_at=task.get("createdAt"),
            attributes={
                "cluster": cluster,
                "launch": task.get("launchType") or task.get("capacityProviderName"),
                "status": task.get("lastStatus"),
                "cpu_units": int(task["cpu"]) if str(task.get("cpu", "")).isdigit() else None,
                "memory_mib": int(task["memory"]) if str(task.get("memory", "")).isdigit() else None,
                "architecture": _architecture(task),
                "platform": task.get("platformFamily"),
                "ephemeral_gib": (task.get("ephemeralStorage") or {}).get("sizeInGiB"),
            },
        )

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """A Fargate task bills its vCPU and GB hours (task level: Fargate sets both), plus the OS
        license per vCPU on Windows and ephemeral storage over the free 20 GiB; Fargate Spot moves
        with capacity (not in a book: unknown). On EC2 or external instances the instances bill."""
        attributes = resource.attributes
        launch = attributes.get("launch")
        if launch not in ("FARGATE", "FARGATE_SPOT"):
            return ()
        windows = str(attributes.get("platform") or "").upper().startswith("WINDOWS")
        flavour = "ARM-" if attributes.get("architecture") == "ARM64" else "Windows-" if windows else ""
        spot = "SpotUsage-" if launch == "FARGATE_SPOT" else ""
        cpu, memory = attributes.get("cpu_units"), attributes.get("memory_mib")
        vcpus = None if cpu is None else cpu / 1024
        note = f"{cpu} CPU units / {memory} MiB"
        usages = [
            Usage(ECS, f"{spot}Fargate-{flavour}vCPU-Hours:perCPU", "hours", vcpus, note=note),
            Usage(
                ECS,
                f"{spot}Fargate-{flavour}GB-Hours",
                "hours",
                None if memory is None else memory / 1024,
                note=note,
            ),
        ]
        if windows:
            usages.append(Usage(ECS, "Fargate-Windows-OS-Hours:perCPU", "hours", vcpus, note="OS license"))
        extra_gib = (attributes.get("ephemeral_gib") or 20) - 20
        if extra_gib > 0:
            note = f"{extra_gib} GiB over the free 20"
            usages.append(Usage(ECS, "Fargate-EphemeralStorage-GB-Hours", "GB-Hours", extra_gib, note=note))
        return tuple(usages)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ecs = self.client(location)

        def stop(task: Resource) -> ResourceOutcome:  # no batch API; StopTask on a stopped task succeeds
            ecs.stop_task(cluster=_cluster(task), task=task.id, reason=STOP_REASON)
            return pending(task.id, "stopping")

        return each(resources, stop, "ecs:StopTask", on_error=_task_error)

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ecs = self.client(location)
        statuses: dict[str, str] = {}
        by_cluster: dict[str, list[str]] = {}
        for task in resources:
            by_cluster.setdefault(_cluster(task), []).append(task.id)
        for cluster, arns in by_cluster.items():
            for batch in chunked(arns, DESCRIBE_BATCH):
                try:
                    reply = ecs.describe_tasks(cluster=cluster, tasks=list(batch))
                except ClientError as error:
                    if outcome(cluster, error).kind is OutcomeKind.GONE:  # the cluster went too
                        continue
                    raise
                statuses.update({t["taskArn"]: t.get("lastStatus", "") for t in reply["tasks"]})
        # a stopped task stays described for an hour or so, then is MISSING: both are gone
        return [
            done(t.id) if statuses.get(t.id, "STOPPED") == "STOPPED" else pending(t.id, statuses[t.id])
            for t in resources
        ]


def _sized(ecs: Any, task: dict[str, Any], sizes: dict[str, tuple[str | None, str | None]]) -> dict[str, Any]:
    """A Fargate task with its task-level cpu and memory: AWS reports them on the task; where a
    listing lacks them, they are read from its task definition (once per definition)."""
    launch = task.get("launchType") or task.get("capacityProviderName")
    if launch not in ("FARGATE", "FARGATE_SPOT") or (task.get("cpu") and task.get("memory")):
        return task
    definition = str(task.get("taskDefinitionArn", ""))
    if definition not in sizes:
        try:
            read = ecs.describe_task_definition(taskDefinition=definition)["taskDefinition"]
            sizes[definition] = (read.get("cpu"), read.get("memory"))
        except ClientError:
            sizes[definition] = (None, None)
    cpu, memory = sizes[definition]
    return {**task, "cpu": task.get("cpu") or cpu, "memory": task.get("memory") or memory}


def _cluster(task: Resource) -> str:
    """The task's cluster: from discovery, or its ARN (…:task/<cluster>/<id>)."""
    return str(task.attributes.get("cluster") or task.id.split("/")[-2])


def _task_error(resource_id: str, error: ClientError, operation: str) -> ResourceOutcome:
    """ECS names a task it no longer knows with InvalidParameterException "The referenced task was
    not found": the task is gone, not the request bad."""
    if error_code(error) == "InvalidParameterException" and "not found" in error_message(error).lower():
        return ResourceOutcome(resource_id, OutcomeKind.GONE, error_message(error))
    return outcome(resource_id, error, operation)
