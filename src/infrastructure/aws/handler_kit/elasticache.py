"""ElastiCache helpers shared by the replication group and cache cluster handlers: tags by ARN and
node hours.

Node-based ElastiCache bills each node by the hour from launch to deletion, under the usage type
"NodeUsage:<node type>". Redis OSS and Memcached nodes cost the same per node type; Valkey nodes
are cheaper under the same usage type, told apart only by the product's engine. So Valkey's hours
carry the engine after an "@" (as RDS's do, see price_keys.py), which the bundled book does not
price: unknown rather than priced as Redis.
"""

from __future__ import annotations

from typing import Any

from costzero.domain.costing import Usage
from costzero.infrastructure.aws.handler_kit.base import read_tags

ELASTICACHE = "AmazonElastiCache"
PRICED_AS_NODE_USAGE = frozenset({"redis", "memcached"})  # one price per node type


def arn_tags(elasticache: Any, arn: str | None) -> dict[str, str] | None:
    """A cluster's, group's or subnet group's tags; None (kept under a tag filter) if unreadable."""
    if not arn:
        return None
    return read_tags(lambda: elasticache.list_tags_for_resource(ResourceName=arn).get("TagList", []))


def node_usage(engine: str | None, node_type: str | None, nodes: int | None) -> Usage:
    """Node hours: one per node, COMPUTE (nothing of a deleted cache keeps billing)."""
    kind = f"NodeUsage:{node_type}" if node_type else "NodeUsage"
    engine = (engine or "").lower()
    usage_type = kind if engine in PRICED_AS_NODE_USAGE else f"{kind}@{engine or 'unknown'}"
    quantity = float(nodes) if isinstance(nodes, int) else None
    return Usage(ELASTICACHE, usage_type, "Hrs", quantity, note=f"{nodes} x {node_type} {engine}")
