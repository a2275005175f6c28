"""Reading the states of EC2 networking resources by ID, for deletes that AWS finishes later."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Resource
from costzero.infrastructure.aws.handler_kit.base import chunked, done, pending

IDS_PER_FILTER = 200  # EC2 filters take up to 200 values


def described(
    ec2: Any, operation: str, items_key: str, id_key: str, filter_name: str | None, ids: Sequence[str]
) -> dict[str, Mapping[str, Any]]:
    """ID -> item for the IDs AWS still describes. A filter, not the ID list parameter: real AWS
    fails the whole call when one listed ID is already gone, a filter simply leaves it out.
    `filter_name` None: the operation lists the whole region in one unpaginated reply anyway
    (VPN connections): one call without a filter, read for the IDs asked."""
    if filter_name is None:
        wanted = set(ids)
        return {
            item[id_key]: item
            for item in getattr(ec2, operation)().get(items_key, [])
            if item[id_key] in wanted
        }
    found: dict[str, Mapping[str, Any]] = {}
    for batch in chunked(list(ids), IDS_PER_FILTER):
        arguments = {"Filters": [{"Name": filter_name, "Values": list(batch)}]}
        if ec2.can_paginate(operation):
            pages = list(ec2.get_paginator(operation).paginate(**arguments))
        else:
            pages = [getattr(ec2, operation)(**arguments)]
        found.update({item[id_key]: item for page in pages for item in page.get(items_key, [])})
    return found


def confirmed(
    resources: Sequence[Resource],
    items: Mapping[str, Mapping[str, Any]],
    state: Callable[[Mapping[str, Any]], str],
    ended: frozenset[str] = frozenset({"deleted"}),
) -> list[ResourceOutcome]:
    """DONE for each resource AWS no longer describes or describes in an ended state, else PENDING."""
    outcomes = []
    for resource in resources:
        item = items.get(resource.id)
        current = state(item) if item is not None else "deleted"
        outcomes.append(done(resource.id) if current in ended else pending(resource.id, current))
    return outcomes
