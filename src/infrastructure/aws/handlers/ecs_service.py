from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, each, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="ecs:service",
    transition_seconds=30.0,  # tasks draining to the desired count (an estimate)
    actions=frozenset({Action.STOP, Action.START}),
    description="ECS services (parked at desired count 0; task definition and config kept)",
)


class EcsServiceHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ecs = self.client(location)
        found = []
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
                                },
                            )
                        )
        return found

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
        cluster = resource.attributes.get("cluster") or resource.id.split("/")[-2]
        services = self.client(location).describe_services(cluster=cluster, services=[resource.id])[
            "services"
        ]
        live = [s for s in services if s.get("status") != "INACTIVE"]
        return {"desired": live[0]["desiredCount"]} if live else None
