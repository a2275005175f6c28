from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, pending, read_tags

SPEC = ResourceTypeSpec(
    key="sagemaker:endpoint",
    transition_seconds=300.0,  # Deleting, and Creating again on start: minutes (an estimate)
    actions=frozenset({Action.STOP, Action.START}),
    description="SageMaker endpoints (parked: deleted, their endpoint config and model kept)",
)
_MOVING = {"Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting"}


def _endpoint_tags(sagemaker: Any, arn: str) -> list[dict[str, str]]:
    pages = sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn)
    return [tag for page in pages for tag in page.get("Tags", [])]


class SageMakerEndpointHandler(AwsHandler):
    """Parked means the endpoint does not exist; its snapshot keeps the config name to recreate it."""

    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("list_endpoints").paginate():
            for endpoint in page["Endpoints"]:
                name = endpoint["EndpointName"]
                settings = self._read(location, name) or {}
                found.append(
                    self.resource(
                        location,
                        name,
                        name=name,
                        tags=settings.get("tags"),
                        attributes={"settings": settings},
                    )
                )
        return found

    def _describe(self, location: Location, name: str) -> dict[str, Any] | None:
        try:
            return dict(self.client(location).describe_endpoint(EndpointName=name))
        except ClientError as error:
            if "Could not find" in str(error):
                return None
            raise

    def _read(self, location: Location, name: str) -> dict[str, Any] | None:
        endpoint = self._describe(location, name)
        if endpoint is None:
            return None
        sagemaker = self.client(location)
        return {
            "exists": True,
            "config": endpoint["EndpointConfigName"],
            "status": endpoint["EndpointStatus"],
            # deleting the endpoint drops its tags: they are part of what start must recreate
            "tags": read_tags(_endpoint_tags, sagemaker, endpoint["EndpointArn"]),
        }

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"exists": False}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("exists") is False

    def in_transition(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("status") in _MOVING

    def restore_target(self, saved: Mapping[str, Any], parked: Mapping[str, Any]) -> dict[str, Any]:
        target = {"exists": True, "config": saved["config"], "status": "InService"}
        if saved.get("tags") is not None:  # tags unread at stop time cannot be promised back
            target["tags"] = saved["tags"]
        return target

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        sagemaker = self.client(location)

        def park(endpoint: Resource) -> ResourceOutcome:
            # the endpoint config and the model are kept: start recreates from them
            sagemaker.delete_endpoint(EndpointName=endpoint.id)
            return pending(endpoint.id, "deleting")

        return each(resources, park, "sagemaker:DeleteEndpoint")

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        sagemaker = self.client(location)

        def restore(endpoint: Resource) -> ResourceOutcome:
            if self._describe(location, endpoint.id) is None:  # a resumed start may find it created
                tags = saved[endpoint.id].get("tags") or {}
                sagemaker.create_endpoint(
                    EndpointName=endpoint.id,
                    EndpointConfigName=saved[endpoint.id]["config"],
                    **({"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} if tags else {}),
                )
            return pending(endpoint.id, "creating")

        return each(resources, restore, "sagemaker:CreateEndpoint")

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        """Never None: a missing endpoint is what a parked one looks like."""
        return self._read(location, resource.id) or {"exists": False}
