"""Shared behaviour for types parked by a stop call and restored by a start call (RDS, notebooks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.errors import error_code, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, pending, tag_dict


class StatusToggleHandler(AwsHandler):
    """Declare the describe call, its keys and the stop/start calls; settings are {"status": ...}."""

    describe: ClassVar[str]  # e.g. "describe_db_instances" (paginated)
    items_key: ClassVar[str]  # e.g. "DBInstances"
    id_key: ClassVar[str]  # e.g. "DBInstanceIdentifier": also the parameter of every call
    status_key: ClassVar[str]
    stop_call: ClassVar[str]
    start_call: ClassVar[str]
    stopped: ClassVar[str]
    moving: ClassVar[frozenset[str]]
    not_found: ClassVar[frozenset[str]] = frozenset()

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        pages = self.client(location).get_paginator(self.describe).paginate()
        items = [item for page in pages for item in page[self.items_key]]
        return [
            self.resource(
                location,
                item[self.id_key],
                name=item[self.id_key],
                tags=tags,
                attributes={**self.extra(item), "settings": {"status": item[self.status_key]}},
            )
            for item, tags in zip(items, self.tags(location, items), strict=True)
        ]

    def tags(self, location: Location, items: Sequence[Mapping[str, Any]]) -> list[dict[str, str] | None]:
        """Each item's tags (None: unreadable); from the listing's TagList unless overridden."""
        return [tag_dict(item.get("TagList")) for item in items]

    def extra(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"status": self.stopped}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("status") == self.stopped

    def in_transition(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("status") in self.moving

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._call(location, resources, self.stop_call)

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._call(location, resources, self.start_call)

    def _call(self, location: Location, resources: Sequence[Resource], call: str) -> list[ResourceOutcome]:
        client = self.client(location)

        def one(resource: Resource) -> ResourceOutcome:
            getattr(client, call)(**{self.id_key: resource.id})
            return pending(resource.id, call.split("_")[0])

        return each(resources, one, f"{self.spec.service}:{call}")

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        try:
            reply = getattr(self.client(location), self.describe)(**{self.id_key: resource.id})
        except ClientError as error:
            if error_code(error) in self.not_found or outcome(resource.id, error).kind is OutcomeKind.GONE:
                return None
            raise
        items = reply.get(self.items_key, [reply])
        return {"status": items[0][self.status_key]} if items else None
