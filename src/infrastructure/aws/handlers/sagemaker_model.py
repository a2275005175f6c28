from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, read_all_tags
from costzero.infrastructure.aws.handler_kit.sagemaker import is_not_found, list_tags, sagemaker_outcome

SPEC = ResourceTypeSpec(
    key="sagemaker:model",
    # AWS deletes a model an endpoint config still names (endpoints created from that config then
    # fail): the configs go first, and discovery links each model to the configs naming it
    requires=("sagemaker:endpoint-config",),
    linked_requires=("sagemaker:endpoint-config",),
    description="SageMaker models (the definition: image, artifacts and role; not the S3 artifacts)",
)


class SageMakerModelHandler(AwsHandler):
    """Listed by ListModels, deleted one at a time (synchronous); the model artifacts in S3 and the
    container image stay. A missing model answers ValidationException "Could not find model": GONE."""

    spec = SPEC
    free_because = "models have no charge (the artifacts' S3 storage and the endpoints' instances are billed)"
    iam_actions = (
        "sagemaker:ListModels",
        "sagemaker:ListEndpointConfigs",
        "sagemaker:DescribeEndpointConfig",
        "sagemaker:ListTags",
        "sagemaker:DeleteModel",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        sagemaker = self.client(location)
        models = [
            m for page in sagemaker.get_paginator("list_models").paginate() for m in page.get("Models", [])
        ]
        if not models:
            return []
        users = _configs_by_model(sagemaker)
        tags = read_all_tags(list_tags, [(sagemaker, m["ModelArn"]) for m in models])
        return [
            self.resource(
                location,
                model["ModelName"],
                name=model["ModelName"],
                tags=found_tags,
                created_at=model.get("CreationTime"),
                links=tuple(
                    Link("sagemaker:endpoint-config", config, "named by")
                    for config in users.get(model["ModelName"], ())
                ),
            )
            for model, found_tags in zip(models, tags, strict=True)
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        sagemaker = self.client(location)
        return each(
            resources,
            lambda model: sagemaker.delete_model(ModelName=model.id),
            "sagemaker:DeleteModel",
            sagemaker_outcome,
        )


def _configs_by_model(sagemaker: Any) -> dict[str, list[str]]:
    """Model name -> the endpoint configs naming it in a production or shadow variant (one
    DescribeEndpointConfig each; a config deleted meanwhile names none)."""
    users: dict[str, list[str]] = {}
    for page in sagemaker.get_paginator("list_endpoint_configs").paginate():
        for config in page.get("EndpointConfigs", []):
            name = config["EndpointConfigName"]
            try:
                described = sagemaker.describe_endpoint_config(EndpointConfigName=name)
            except ClientError as error:
                if is_not_found(error):
                    continue
                raise
            variants = [
                *described.get("ProductionVariants", []),
                *described.get("ShadowProductionVariants", []),
            ]
            for model in dict.fromkeys(v["ModelName"] for v in variants if v.get("ModelName")):
                users.setdefault(model, []).append(name)
    return users
