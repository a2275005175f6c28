from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import ClassVar

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each

SPEC = ResourceTypeSpec(
    key="apigateway:rest-api",
    # no requires: DeleteRestApi deletes the API's resources, stages and deployments with it
    description="API Gateway REST APIs (deleted one every 30 s: AWS's fixed DeleteRestApi quota)",
)
DELETE_EVERY = 30.0  # seconds: "DeleteRestApi: 1 request every 30 seconds per account", not raisable


class _Pace:
    """When each account may call DeleteRestApi next, shared by every task of the process: the quota
    is per account, so tasks of two regions must not spend it twice."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}

    def take(self, account: str, now: float) -> float:
        """0 when the call may go now (and the slot is taken), else the seconds left to wait."""
        with self._lock:
            last = self._last.get(account)
            if last is not None and now - last < DELETE_EVERY:
                return DELETE_EVERY - (now - last)
            self._last[account] = now
            return 0.0


class ApiGatewayRestApiHandler(AwsHandler):
    """One DeleteRestApi per attempt at most, and none until 30 s after the account's last one: the
    other APIs of the task answer THROTTLED without a call (the orchestrator backs off and tries
    again). AWS's own TooManyRequestsException is THROTTLED too (error table). A task of many APIs
    is bounded by the run's wait budget: the rest are left for the next run."""

    spec = SPEC
    free_because = (
        "billed per API call and data transfer; no standing charge "
        "(a stage's optional cache is billed per hour and is not estimated here)"
    )
    iam_actions = ("apigateway:GET", "apigateway:DELETE")  # API Gateway's IAM actions are HTTP verbs
    pace: ClassVar[_Pace] = _Pace()

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        api = self.client(location)
        pages = api.get_paginator("get_rest_apis").paginate()
        items = [item for page in pages for item in page.get("items", [])]
        return [
            self.resource(
                location,
                item["id"],
                name=item.get("name"),
                tags=dict(item.get("tags") or {}),  # the listing carries each API's tags
                created_at=item.get("createdDate"),
                attributes={
                    "endpoint_types": list((item.get("endpointConfiguration") or {}).get("types", []))
                },
            )
            for item in items
        ]

    def now(self) -> float:
        return time.monotonic()

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        if not resources:
            return []
        wait = self.pace.take(location.account, self.now())
        first, rest = (resources[0], resources[1:]) if wait == 0 else (None, resources)
        message = f"DeleteRestApi allows 1 call per {DELETE_EVERY:g} s per account"
        later = [ResourceOutcome(r.id, OutcomeKind.THROTTLED, message) for r in rest]
        if first is None:
            return later
        api = self.client(location)
        # an API already gone answers NotFoundException (gone, in the error table)
        return [
            *each([first], lambda item: api.delete_rest_api(restApiId=item.id), "apigateway:DELETE"),
            *later,
        ]
