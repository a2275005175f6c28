from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each

SPEC = ResourceTypeSpec(
    key="apigatewayv2:api",
    # no requires: DeleteApi deletes the API's stages, routes, integrations and deployments with it
    description="API Gateway HTTP and WebSocket APIs",
)


class ApiGatewayV2ApiHandler(AwsHandler):
    spec = SPEC
    free_because = (
        "billed per request (HTTP) or per message and connection minute (WebSocket); "
        "an API has no standing charge"
    )
    iam_actions = ("apigateway:GET", "apigateway:DELETE")  # API Gateway's IAM actions are HTTP verbs

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        api = self.client(location)
        items = [item for page in api.get_paginator("get_apis").paginate() for item in page.get("Items", [])]
        return [
            self.resource(
                location,
                item["ApiId"],
                name=item.get("Name"),
                tags=dict(item.get("Tags") or {}),  # the listing carries each API's tags
                created_at=item.get("CreatedDate"),
                attributes={"protocol": item.get("ProtocolType")},
            )
            for item in items
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        api = self.client(location)
        # no batch API; an API already gone answers NotFoundException (gone, in the error table)
        return each(resources, lambda item: api.delete_api(ApiId=item.id), "apigateway:DELETE")
