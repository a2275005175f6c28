from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.errors import classify, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, read_all_tags

SPEC = ResourceTypeSpec(
    key="cloudwatch:dashboard",
    # dashboards are the account's, not a region's (ARN arn:aws:cloudwatch::account:dashboard/name):
    # every region's ListDashboards lists the same ones, so they are listed once per account
    scope=Scope.GLOBAL,
    delete_batch_size=100,  # DeleteDashboards takes a list of names: 100 per call here
    description="CloudWatch dashboards",
)
CLOUDWATCH = "AmazonCloudWatch"
BASIC_UP_TO = 50  # metrics: a dashboard with more is billed as DashboardsUsageHour, else -Basic


def _dashboard_tags(cloudwatch: Any, arn: str) -> list[dict[str, str]]:
    return list(cloudwatch.list_tags_for_resource(ResourceARN=arn).get("Tags", []))


def _metric_count(body: str | None) -> int | None:
    """How many metrics the dashboard's widgets graph (None: the body could not be read)."""
    try:
        document = json.loads(body or "")
        widgets = document.get("widgets", []) if isinstance(document, dict) else []
        return sum(len((w.get("properties") or {}).get("metrics") or []) for w in widgets)
    except (ValueError, TypeError, AttributeError):
        return None


class CloudWatchDashboardHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "cloudwatch:ListDashboards",
        "cloudwatch:GetDashboard",
        "cloudwatch:ListTagsForResource",
        "cloudwatch:DeleteDashboards",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        cloudwatch = self.client(location)
        pages = cloudwatch.get_paginator("list_dashboards").paginate()
        entries = [entry for page in pages for entry in page.get("DashboardEntries", [])]
        tags = read_all_tags(_dashboard_tags, [(cloudwatch, e["DashboardArn"]) for e in entries])
        return [
            self.resource(
                location,
                entry["DashboardName"],
                name=entry["DashboardName"],
                tags=dashboard_tags,
                attributes={"metrics": self._metrics(cloudwatch, entry["DashboardName"])},
            )
            for entry, dashboard_tags in zip(entries, tags, strict=True)
        ]

    @staticmethod
    def _metrics(cloudwatch: Any, name: str) -> int | None:
        try:
            return _metric_count(cloudwatch.get_dashboard(DashboardName=name).get("DashboardBody"))
        except ClientError:
            return None

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """$3 per dashboard per month, whatever its size (two usage types: up to 50 metrics, and
        more), billed to the account, not a region (priced under the book's "global" region) while
        it exists (STORAGE). The free tier (3 dashboards of up to 50 metrics per account) is not
        deducted."""
        metrics = resource.attributes.get("metrics")
        basic = isinstance(metrics, int) and metrics <= BASIC_UP_TO
        usage_type = "DashboardsUsageHour-Basic" if basic else "DashboardsUsageHour"
        note = f"{metrics} metric(s)" if isinstance(metrics, int) else "metric count not read"
        return (Usage(CLOUDWATCH, usage_type, "Dashboards", 1.0, CostPart.STORAGE, monthly=True, note=note),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        cloudwatch = self.client(location)
        outcomes: list[ResourceOutcome] = []
        for batch in chunked(list(resources), self.spec.delete_batch_size):
            try:
                cloudwatch.delete_dashboards(DashboardNames=[d.id for d in batch])
                outcomes.extend(done(d.id) for d in batch)
            except ClientError as error:
                if classify(error) is not OutcomeKind.GONE or len(batch) == 1:
                    outcomes.extend(outcome(d.id, error, "cloudwatch:DeleteDashboards") for d in batch)
                    continue
                # a name of the batch is gone and the call failed as a whole: one call each settles them
                outcomes.extend(
                    each(
                        batch,
                        lambda d: cloudwatch.delete_dashboards(DashboardNames=[d.id]),
                        "cloudwatch:DeleteDashboards",
                    )
                )
        return outcomes
