"""Shared behaviour for types listed by one call and deleted one at a time by one call (key pairs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, tag_dict


class ListDeleteHandler(AwsHandler):
    """Declare the list call, its keys and the delete call; override a hook only where a type needs it.

    The listing is paged when botocore has a paginator for `list_call`. Each resource is deleted with
    `delete_call(**{delete_param: <its ID, or its name with delete_by = "name">})` and is DONE when the
    call returns; AWS errors go through the error table, the IAM action named after the operation.
    """

    list_call: ClassVar[str]  # e.g. "describe_key_pairs"
    list_args: ClassVar[Mapping[str, Any]] = {}  # e.g. {"Owners": ["self"]}
    items_key: ClassVar[str]  # e.g. "KeyPairs"
    id_key: ClassVar[str]  # the item's ID; the name stands in where an item has none
    name_key: ClassVar[str | None] = None
    tags_key: ClassVar[str | None] = "Tags"  # AWS's [{"Key", "Value"}] in the item; None: no tags
    created_key: ClassVar[str | None] = None
    delete_call: ClassVar[str]  # e.g. "delete_key_pair"
    delete_param: ClassVar[str]  # e.g. "KeyName"
    delete_by: ClassVar[Literal["id", "name"]] = "id"  # what `delete_param` is given

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        client = self.client(location)
        items = [item for item in self.list_items(client) if self.include(item)]
        return [
            self.resource(
                location,
                str(item.get(self.id_key) or item[self.name_key or self.id_key]),
                name=item.get(self.name_key) if self.name_key else None,
                tags=tags,
                created_at=item.get(self.created_key) if self.created_key else None,
                attributes=self.attributes(item),
            )
            for item, tags in zip(items, self.tags(location, items), strict=True)
        ]

    def list_items(self, client: Any) -> list[Mapping[str, Any]]:
        if client.can_paginate(self.list_call):
            pages = client.get_paginator(self.list_call).paginate(**self.list_args)
            return [item for page in pages for item in page.get(self.items_key, [])]
        return list(getattr(client, self.list_call)(**self.list_args).get(self.items_key, []))

    # hooks
    def include(self, item: Mapping[str, Any]) -> bool:
        """False for items the listing returns that are not this type's to delete."""
        return True

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    def tags(self, location: Location, items: Sequence[Mapping[str, Any]]) -> list[dict[str, str] | None]:
        """Each item's tags (None: unreadable), from `tags_key`; override where the listing has none."""
        return [tag_dict(item.get(self.tags_key)) if self.tags_key else {} for item in items]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        client = self.client(location)
        call = getattr(client, self.delete_call)
        action = f"{self.spec.service}:{client.meta.method_to_api_mapping[self.delete_call]}"

        def delete(resource: Resource) -> None:
            value = (resource.name or resource.id) if self.delete_by == "name" else resource.id
            call(**{self.delete_param: value})

        return each(resources, delete, action)
