from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="ecs:service",
    transition_seconds=30.0,  # tasks draining to the desired count, or DRAINING -> INACTIVE (an estimate)
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    delete_batch_size=10,  # DescribeServices confirms up to 10 per call
    description="ECS services (deleted, or parked at desired count 0; task definition and config kept)",
)
ECS = "AmazonECS"  # Fargate is billed under AmazonECS (tasks run by ECS or EKS)
FARGATE, FARGATE_SPOT = "FARGATE", "FARGATE_SPOT"


def _launch(service: Mapping[str, Any]) -> str | None:
    """FARGATE, FARGATE_SPOT, EC2 or EXTERNAL: the launch type, or what the capacity provider
    strategy names (any Spot share: FARGATE_SPOT; Auto Scaling group providers: EC2)."""
    if service.get("launchType"):
        return str(service["launchType"])
    providers = {p.get("capacityProvider") for p in service.get("capacityProviderStrategy", [])}
    if not providers:
        return None
    if providers <= {FARGATE, FARGATE_SPOT}:
        return FARGATE_SPOT if FARGATE_SPOT in providers else FARGATE
    return "EC2"


class EcsServiceHandler(AwsHandler):
    spec = SPEC
    # shown only for services that declare no usage: those on the EC2 or external launch type
    free_because = "its tasks run on container instances, billed as ec2:instance"
    iam_actions = (
        "ecs:ListClusters",
        "ecs:ListServices",
        "ecs:DescribeServices",
        "ecs:DescribeTaskDefinition",
        "ecs:UpdateService",
        "ecs:DeleteService",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ecs = self.client(location)
        found = []
        task_sizes: dict[str, dict[str, Any] | None] = {}  # task definition ARN -> its size, read once
        for page in ecs.get_paginator("list_clusters").paginate():
            for cluster in page["clusterArns"]:
                arns = [
                    a
                    for p in ecs.get_paginator("list_services").paginate(cluster=cluster)
                    for a in p["serviceArns"]
                ]
                for batch in chunked(arns, 10):  # DescribeServices takes up to 10
                    for service in ecs.describe_services(
                        cluster=cluster, services=list(batch), include=["TAGS"]
                    )["services"]:
                        if service.get("status") == "INACTIVE":  # deleted (moto still lists them)
                            continue
                        launch = _launch(service)
                        task = service.get("taskDefinition")
                        if launch in (FARGATE, FARGATE_SPOT) and task and task not in task_sizes:
                            task_sizes[task] = self._task_size(ecs, task)
                        found.append(
                            self.resource(
                                location,
                                service["serviceArn"],
                                name=service["serviceName"],
                                tags=tag_dict(
                                    [{"Key": t["key"], "Value": t["value"]} for t in service.get("tags", [])]
                                ),
                                attributes={
                                    "cluster": cluster,
                                    "settings": {"desired": service["desiredCount"]},
                                    "launch": launch,
                                    "task": task_sizes.get(task) if task else None,
                                },
                            )
                        )
        return found

    @staticmethod
    def _task_size(ecs: Any, task: str) -> dict[str, Any] | None:
        """A Fargate task definition's vCPU and memory (task level: Fargate requires both), CPU
        architecture and OS; None when it cannot be read."""
        try:
            definition = ecs.describe_task_definition(taskDefinition=task)["taskDefinition"]
        except ClientError:
            return None
        platform = definition.get("runtimePlatform") or {}
        return {
            "cpu_units": int(definition["cpu"]) if definition.get("cpu") else None,
            "memory_mib": int(definition["memory"]) if definition.get("memory") else None,
            "architecture": platform.get("cpuArchitecture") or "X86_64",
            "os": platform.get("operatingSystemFamily") or "LINUX",
            "ephemeral_gib": (definition.get("ephemeralStorage") or {}).get("sizeInGiB"),
        }

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Fargate: vCPU and GB hours of the task definition x the desired count (parking sets it
        to 0). On the EC2 and external launch types the tasks run on instances billed as their
        own resources (ec2:instance), so such a service declares nothing; Fargate Spot prices
        move with capacity and are not in a price book: unknown. Windows tasks add an OS license
        fee per vCPU; ephemeral storage over the free 20 GiB is billed per GB-hour."""
        launch = resource.attributes.get("launch")
        if launch in ("EC2", "EXTERNAL"):
            return ()
        if launch not in (FARGATE, FARGATE_SPOT):
            return (
                Usage(ECS, "Fargate-vCPU-Hours:perCPU", "hours", None, note=f"launch type {launch} unknown"),
            )
        desired = int(resource.attributes.get("settings", {}).get("desired") or 0)
        task = resource.attributes.get("task") or {}
        arm = task.get("architecture") == "ARM64"
        windows = str(task.get("os", "LINUX")).startswith("WINDOWS")
        flavour = "ARM-" if arm else "Windows-" if windows else ""
        spot = "SpotUsage-" if launch == FARGATE_SPOT else ""
        cpu, memory = task.get("cpu_units"), task.get("memory_mib")
        vcpus = None if cpu is None else desired * cpu / 1024
        gbs = None if memory is None else desired * memory / 1024
        note = f"{desired} task(s) x {cpu} CPU units / {memory} MiB"
        usages = [
            Usage(ECS, f"{spot}Fargate-{flavour}vCPU-Hours:perCPU", "hours", vcpus, note=note),
            Usage(ECS, f"{spot}Fargate-{flavour}GB-Hours", "hours", gbs, note=note),
        ]
        if windows:
            usages.append(Usage(ECS, "Fargate-Windows-OS-Hours:perCPU", "hours", vcpus, note="OS license"))
        extra_gib = (task.get("ephemeral_gib") or 20) - 20
        if extra_gib > 0:
            note = f"{desired} task(s) x {extra_gib} GiB over the free 20"
            usages.append(
                Usage(ECS, "Fargate-EphemeralStorage-GB-Hours", "GB-Hours", desired * extra_gib, note=note)
            )
        return tuple(usages)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """Scale to 0, then delete with force (a service with running tasks is otherwise refused);
        the service drains its tasks (DRAINING) before it is INACTIVE. A service already draining
        or gone answers ServiceNotActive / ServiceNotFound: gone."""
        ecs = self.client(location)

        def delete(service: Resource) -> ResourceOutcome:
            cluster = _cluster(service)
            ecs.update_service(cluster=cluster, service=service.id, desiredCount=0)
            ecs.delete_service(cluster=cluster, service=service.id, force=True)
            return pending(service.id, "draining")

        return each(resources, delete, "ecs:DeleteService")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ecs = self.client(location)
        statuses: dict[str, str] = {}
        by_cluster: dict[str, list[str]] = {}
        for service in resources:
            by_cluster.setdefault(_cluster(service), []).append(service.id)
        for cluster, arns in by_cluster.items():
            for batch in chunked(arns, 10):
                try:
                    reply = ecs.describe_services(cluster=cluster, services=list(batch))
                except ClientError as error:
                    if outcome(cluster, error).kind is OutcomeKind.GONE:  # the cluster went too
                        continue
                    raise
                statuses.update({s["serviceArn"]: s.get("status", "") for s in reply["services"]})
        return [
            done(s.id) if statuses.get(s.id, "INACTIVE") == "INACTIVE" else pending(s.id, statuses[s.id])
            for s in resources
        ]

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"desired": 0}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("desired") == 0

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._scale(location, resources, lambda service: 0)

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._scale(location, resources, lambda service: int(saved[service.id]["desired"]))

    def _scale(
        self, location: Location, resources: Sequence[Resource], desired: Callable[[Resource], int]
    ) -> list[ResourceOutcome]:
        ecs = self.client(location)

        def scale(service: Resource) -> ResourceOutcome:
            count = desired(service)
            ecs.update_service(cluster=service.attributes["cluster"], service=service.id, desiredCount=count)
            return pending(service.id, f"desired count {count}")

        return each(resources, scale, "ecs:UpdateService")

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        services = self.client(location).describe_services(
            cluster=_cluster(resource), services=[resource.id]
        )["services"]
        live = [s for s in services if s.get("status") != "INACTIVE"]
        return {"desired": live[0]["desiredCount"]} if live else None


def _cluster(service: Resource) -> str:
    """The service's cluster: from discovery, or its ARN (…:service/<cluster>/<name>)."""
    return str(service.attributes.get("cluster") or service.id.split("/")[-2])
