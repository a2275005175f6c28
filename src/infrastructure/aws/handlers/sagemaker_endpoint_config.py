from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_all_tags
from costzero.infrastructure.aws.handler_kit.sagemaker import is_not_found, list_tags, sagemaker_outcome

SPEC = ResourceTypeSpec(
    key="sagemaker:endpoint-config",
    # AWS deletes a config an endpoint still uses (the endpoint then cannot be updated or described
    # in full): the endpoints go first, and discovery links each config to the endpoints using it
    requires=("sagemaker:endpoint",),
    linked_requires=("sagemaker:endpoint",),
    description="SageMaker endpoint configurations",
)


class SageMakerEndpointConfigHandler(AwsHandler):
    """Listed by ListEndpointConfigs, deleted one at a time (synchronous). A missing config answers
    ValidationException "Could not find endpoint configuration": GONE.

    A parked endpoint (deleted by `stop`) is recreated from its config by `start`: destroying the
    config leaves that snapshot nothing to restore from."""

    spec = SPEC
    free_because = "endpoint configurations have no charge (the endpoint's instances are billed)"
    iam_actions = (
        "sagemaker:ListEndpointConfigs",
        "sagemaker:ListEndpoints",
        "sagemaker:DescribeEndpoint",
        "sagemaker:ListTags",
        "sagemaker:DeleteEndpointConfig",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        sagemaker = self.client(location)
        pages = sagemaker.get_paginator("list_endpoint_configs").paginate()
        configs = [c for page in pages for c in page.get("EndpointConfigs", [])]
        if not configs:
            return []
        users = _endpoints_by_config(sagemaker)
        tags = read_all_tags(list_tags, [(sagemaker, c["EndpointConfigArn"]) for c in configs])
        return [
            self.resource(
                location,
                config["EndpointConfigName"],
                name=config["EndpointConfigName"],
                tags=found_tags,
                created_at=config.get("CreationTime"),
                links=tuple(
                    Link("sagemaker:endpoint", endpoint, "used by")
                    for endpoint in users.get(config["EndpointConfigName"], ())
                ),
            )
            for config, found_tags in zip(configs, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        sagemaker = self.client(location)
        return each(
            resources,
            lambda config: sagemaker.delete_endpoint_config(EndpointConfigName=config.id),
            "sagemaker:DeleteEndpointConfig",
            sagemaker_outcome,
        )


def _endpoints_by_config(sagemaker: Any) -> dict[str, list[str]]:
    """Config name -> the endpoints using it (ListEndpoints does not say: one describe each; an
    endpoint deleted meanwhile uses none)."""
    users: dict[str, list[str]] = {}
    for page in sagemaker.get_paginator("list_endpoints").paginate():
        for endpoint in page.get("Endpoints", []):
            name = endpoint["EndpointName"]
            try:
                config = sagemaker.describe_endpoint(EndpointName=name)["EndpointConfigName"]
            except ClientError as error:
                if is_not_found(error):
                    continue
                raise
            users.setdefault(config, []).append(name)
    return users
