from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import Usage
from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, read_tags
from costzero.infrastructure.aws.handler_kit.sagemaker import sagemaker_outcome

SPEC = ResourceTypeSpec(
    key="sagemaker:endpoint",
    transition_seconds=300.0,  # Deleting, and Creating again on start: minutes (an estimate)
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    description="SageMaker endpoints (parked: deleted, their endpoint config and model kept)",
)
_MOVING = {"Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting"}
SAGEMAKER = "AmazonSageMaker"


def _endpoint_tags(sagemaker: Any, arn: str) -> list[dict[str, str]]:
    pages = sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn)
    return [tag for page in pages for tag in page.get("Tags", [])]


class SageMakerEndpointHandler(AwsHandler):
    """Parked means the endpoint does not exist; its snapshot keeps the config name to recreate it."""

    spec = SPEC
    free_because = "no instances: serverless variants are billed per request and duration"
    iam_actions = (
        "sagemaker:ListEndpoints",
        "sagemaker:DescribeEndpoint",
        "sagemaker:DescribeEndpointConfig",
        "sagemaker:ListTags",
        "sagemaker:DeleteEndpoint",
        "sagemaker:CreateEndpoint",
        "sagemaker:AddTags",  # CreateEndpoint with Tags (start puts the saved tags back)
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("list_endpoints").paginate():
            for endpoint in page["Endpoints"]:
                name = endpoint["EndpointName"]
                described = self._describe(location, name)
                settings = self._settings(location, described) if described else {}
                found.append(
                    self.resource(
                        location,
                        name,
                        name=name,
                        tags=settings.get("tags"),
                        attributes={
                            "settings": settings,
                            "variants": self._variants(location, described) if described else [],
                        },
                    )
                )
        return found

    def _variants(self, location: Location, endpoint: Mapping[str, Any]) -> list[dict[str, Any]] | None:
        """Each production variant's instance type (from the endpoint config) and instance count
        (the endpoint's current count, which auto scaling moves; else the config's initial one).
        Serverless variants have no instances. None when the config cannot be read."""
        try:
            config = self.client(location).describe_endpoint_config(
                EndpointConfigName=endpoint["EndpointConfigName"]
            )
        except ClientError:
            return None
        current = {v["VariantName"]: v for v in endpoint.get("ProductionVariants", [])}
        variants = []
        for variant in config.get("ProductionVariants", []):
            live = current.get(variant["VariantName"], {})
            variants.append(
                {
                    "name": variant["VariantName"],
                    "instance_type": variant.get("InstanceType"),
                    "count": live.get("CurrentInstanceCount", variant.get("InitialInstanceCount")),
                    "serverless": "ServerlessConfig" in variant,
                }
            )
        return variants

    def _describe(self, location: Location, name: str) -> dict[str, Any] | None:
        try:
            return dict(self.client(location).describe_endpoint(EndpointName=name))
        except ClientError as error:
            if "Could not find" in str(error):
                return None
            raise

    def _read(self, location: Location, name: str) -> dict[str, Any] | None:
        endpoint = self._describe(location, name)
        return None if endpoint is None else self._settings(location, endpoint)

    def _settings(self, location: Location, endpoint: Mapping[str, Any]) -> dict[str, Any]:
        sagemaker = self.client(location)
        return {
            "exists": True,
            "config": endpoint["EndpointConfigName"],
            "status": endpoint["EndpointStatus"],
            # deleting the endpoint drops its tags: they are part of what start must recreate
            "tags": read_tags(_endpoint_tags, sagemaker, endpoint["EndpointArn"]),
        }

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Hosting instance hours, per variant: instance count x its type's hourly price (parking
        deletes the endpoint, ending them). A failed endpoint runs no instances. Serverless
        variants are billed per request and duration; data processed is billed per GB."""
        if resource.attributes.get("settings", {}).get("status") == "Failed":
            return ()
        variants = resource.attributes.get("variants")
        if variants is None:
            return (Usage(SAGEMAKER, "Host:(instance type unknown)", "Hrs", None, note="config unreadable"),)
        usages = []
        for variant in variants:
            if variant.get("serverless"):
                continue
            count, kind = variant.get("count"), variant.get("instance_type")
            note = f"{variant['name']}: {count} x {kind}"
            usages.append(
                Usage(SAGEMAKER, f"Host:{kind}", "Hrs", None if count is None else float(count), note=note)
            )
        return tuple(usages)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """DeleteEndpoint, asynchronous (Deleting, then gone); its config and model are types of their
        own, deleted after it. A missing endpoint is GONE."""
        sagemaker = self.client(location)

        def delete(endpoint: Resource) -> ResourceOutcome:  # no batch API
            if endpoint.attributes.get("settings", {}).get("status") == "Deleting":
                return pending(endpoint.id, "already deleting")
            sagemaker.delete_endpoint(EndpointName=endpoint.id)
            return pending(endpoint.id, "deleting")

        return each(resources, delete, "sagemaker:DeleteEndpoint", sagemaker_outcome)

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        outcomes = []
        for endpoint in resources:
            described = self._describe(location, endpoint.id)
            if described is None:
                outcomes.append(done(endpoint.id))
            else:
                outcomes.append(pending(endpoint.id, str(described.get("EndpointStatus"))))
        return outcomes

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
