"""What the classic and v2 load balancer handlers share: their hourly usage type, and the network
interfaces a load balancer leaves behind for a while after AWS has deleted it.

Each load balancer owns requester-managed ENIs in its subnets, described "ELB <name>" (classic) or
"ELB app/<name>/<id>", "ELB net/...", "ELB gwy/..." (the part of a v2 ARN after ":loadbalancer/").
DescribeLoadBalancers stops listing a deleted load balancer at once, but these ENIs go minutes
later; until they do, the subnets and security groups they sit in cannot be deleted. So a load
balancer counts as gone only when its ENIs are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.infrastructure.aws.handler_kit.base import chunked, tag_dict

ELB = "AWSELB"
TAG_BATCH = 20  # DescribeTags takes up to 20 ARNs (v2) or 20 names (classic)
FILTER_VALUES = 200  # DescribeNetworkInterfaces takes up to 200 values per filter

# The Price List files every kind's hours under one usage type, LoadBalancerUsage, told apart by
# the operation (and product family); keyed here with the operation appended, as EC2 platforms
# are, so that no kind is priced as another (Cost Explorer bills the part before " (").
OPERATIONS = {
    "classic": "LoadBalancing",
    "application": "LoadBalancing:Application",
    "network": "LoadBalancing:Network",
    "gateway": "LoadBalancing:Gateway",
}


def hours_usage_type(kind: str) -> str:
    """e.g. "application" -> "LoadBalancerUsage (LoadBalancing:Application)"."""
    return f"LoadBalancerUsage ({OPERATIONS.get(kind, kind)})"


def interface_description(load_balancer: str) -> str:
    """The description of a load balancer's ENIs: from a v2 ARN, or a classic load balancer's name."""
    if ":loadbalancer/" in load_balancer:
        return f"ELB {load_balancer.split(':loadbalancer/', 1)[1]}"
    return f"ELB {load_balancer}"


def lingering(ec2: Any, descriptions: Iterable[str]) -> dict[str, int]:
    """ENI description -> how many ENIs with it still exist (absent: none)."""
    counts: dict[str, int] = {}
    for batch in chunked(list(descriptions), FILTER_VALUES):
        pages = ec2.get_paginator("describe_network_interfaces").paginate(
            Filters=[{"Name": "description", "Values": list(batch)}]
        )
        for page in pages:
            for interface in page.get("NetworkInterfaces", []):
                description = interface.get("Description", "")
                counts[description] = counts.get(description, 0) + 1
    return counts


def described_tags(client: Any, key: str, names: Sequence[str]) -> dict[str, dict[str, str] | None]:
    """Name or ARN -> tags, by DescribeTags (`key`: ResourceArns for v2, LoadBalancerNames for
    classic); a batch whose read fails leaves its resources absent, their tags None (kept)."""
    found: dict[str, dict[str, str] | None] = {}
    answer = "ResourceArn" if key == "ResourceArns" else "LoadBalancerName"
    for batch in chunked(list(names), TAG_BATCH):
        try:
            descriptions = client.describe_tags(**{key: list(batch)})["TagDescriptions"]
        except (ClientError, BotoCoreError):
            continue
        found.update({d[answer]: tag_dict(d.get("Tags")) for d in descriptions})
    return found
