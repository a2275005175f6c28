"""Cost Explorer answers for the moto server, which tracks no cost: a test queues them first."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def group(key: str, amount: str, unit: str = "USD") -> dict[str, Any]:
    """One group of a GetCostAndUsage period, as AWS answers it ("TAG$value" for a tag)."""
    return {"Keys": [key], "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": unit}}}


def month(start: str, end: str, groups: list[dict[str, Any]], estimated: bool = False) -> dict[str, Any]:
    """One period of ResultsByTime."""
    return {"TimePeriod": {"Start": start, "End": end}, "Total": {}, "Groups": groups, "Estimated": estimated}


def queue(endpoint: str, *results: dict[str, Any]) -> None:
    """Hand moto the GetCostAndUsage answers to give, in order: each is bound to the first request
    body that takes it (the same request gets the same answer again), through moto's
    POST /moto-api/static/ce/cost-and-usage-results."""
    request = urllib.request.Request(
        f"{endpoint}/moto-api/static/ce/cost-and-usage-results",
        data=json.dumps({"results": list(results)}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201
