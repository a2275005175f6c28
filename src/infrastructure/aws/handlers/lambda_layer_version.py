from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each

SPEC = ResourceTypeSpec(
    key="lambda:layer-version",
    taggable=False,  # layers carry no tags
    description="Lambda layer versions (every version of every layer; functions keep their copy)",
)


class LambdaLayerVersionHandler(AwsHandler):
    """Every version of every layer the account owns in the region. ListLayers names only each
    layer's latest version: ListLayerVersions lists them all. A function using a version keeps
    working after it is deleted (Lambda keeps the function's copy), so nothing waits for functions.
    The ID is the version's ARN; DeleteLayerVersion succeeds for a version already gone."""

    spec = SPEC
    free_because = "layers have no charge (they count towards the free 75 GB code storage quota)"
    iam_actions = ("lambda:ListLayers", "lambda:ListLayerVersions", "lambda:DeleteLayerVersion")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        lam = self.client(location)
        found = []
        for page in lam.get_paginator("list_layers").paginate():
            for layer in page.get("Layers", []):
                name = layer["LayerName"]
                for versions in lam.get_paginator("list_layer_versions").paginate(LayerName=name):
                    for version in versions.get("LayerVersions", []):
                        found.append(
                            self.resource(
                                location,
                                version["LayerVersionArn"],
                                name=f"{name}:{version['Version']}",
                                tags={},
                                attributes={
                                    "layer": name,
                                    "version": version["Version"],
                                    "runtimes": version.get("CompatibleRuntimes", []),
                                },
                            )
                        )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        lam = self.client(location)

        def delete(version: Resource) -> None:  # no batch API
            layer, number = _layer_and_version(version)
            lam.delete_layer_version(LayerName=layer, VersionNumber=number)

        return each(resources, delete, "lambda:DeleteLayerVersion")


def _layer_and_version(version: Resource) -> tuple[str, int]:
    """From the attributes, else from the ARN (arn:aws:lambda:region:account:layer:NAME:VERSION)."""
    layer, number = version.attributes.get("layer"), version.attributes.get("version")
    if isinstance(layer, str) and isinstance(number, int):
        return layer, number
    _, name, found = version.id.rsplit(":", 2)
    return name, int(found)
