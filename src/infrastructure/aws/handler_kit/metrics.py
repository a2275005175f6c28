"""The latest datapoints of the daily CloudWatch metrics AWS publishes about resources (S3 bucket
sizes, Aurora cluster volumes), read at discovery so that `usage()` never calls AWS.

AWS publishes these once a day, a day or so behind; a resource with no datapoint in the window (a
new or empty bucket) has no value here, and its size is then unknown, never zero.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from costzero.infrastructure.aws.handler_kit.base import chunked

MAX_QUERIES = 500  # GetMetricData takes up to 500 queries per call
DAY = 86400
LOOKBACK = timedelta(days=3)  # daily storage metrics land a day or so late


@dataclass(frozen=True)
class MetricQuery:
    key: Hashable  # the caller's name for the answer, e.g. (bucket, storage type)
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str = "Average"
    period: int = DAY


def listed_dimensions(cloudwatch: Any, namespace: str, metric: str) -> list[dict[str, str]]:
    """The dimension sets of `metric` that have had data lately (ListMetrics: the past two weeks),
    e.g. every (BucketName, StorageType) pair with a BucketSizeBytes series in the region."""
    found = []
    for page in cloudwatch.get_paginator("list_metrics").paginate(Namespace=namespace, MetricName=metric):
        for item in page.get("Metrics", []):
            found.append({d["Name"]: d["Value"] for d in item.get("Dimensions", [])})
    return found


def latest_values(
    cloudwatch: Any, queries: Sequence[MetricQuery], now: datetime | None = None
) -> dict[Hashable, float]:
    """The newest datapoint of each query within the look-back window, up to 500 queries per
    GetMetricData call; queries without a datapoint are absent from the answer."""
    end = now or datetime.now(UTC)
    newest: dict[Hashable, tuple[datetime, float]] = {}
    for batch in chunked(list(queries), MAX_QUERIES):
        keys = {f"q{n}": query.key for n, query in enumerate(batch)}
        pages = cloudwatch.get_paginator("get_metric_data").paginate(
            MetricDataQueries=[_query(f"q{n}", query) for n, query in enumerate(batch)],
            StartTime=end - LOOKBACK,
            EndTime=end,
            ScanBy="TimestampDescending",
        )
        for page in pages:  # a query's datapoints may come over several pages: keep the newest
            for result in page.get("MetricDataResults", []):
                key = keys[result["Id"]]
                for point in zip(result.get("Timestamps", []), result.get("Values", []), strict=False):
                    if key not in newest or point[0] > newest[key][0]:
                        newest[key] = (point[0], float(point[1]))
    return {key: value for key, (_, value) in newest.items()}


def _query(query_id: str, query: MetricQuery) -> dict[str, Any]:
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {
                "Namespace": query.namespace,
                "MetricName": query.metric,
                "Dimensions": [{"Name": n, "Value": v} for n, v in query.dimensions],
            },
            "Period": query.period,
            "Stat": query.stat,
        },
        "ReturnData": True,
    }
