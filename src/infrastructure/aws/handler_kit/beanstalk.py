"""Elastic Beanstalk listing shared by the environment and application handlers."""

from __future__ import annotations

from typing import Any

ENVIRONMENT = "elasticbeanstalk:environment"


def describe_environments(eb: Any, query: dict[str, Any]) -> list[dict[str, Any]]:
    """Every environment matching `query` (not the deleted ones), across pages."""
    environments: list[dict[str, Any]] = []
    token = None
    while True:
        paging: dict[str, str] = {"NextToken": token} if token else {}
        page = eb.describe_environments(IncludeDeleted=False, **query, **paging)
        environments.extend(page.get("Environments", []))
        token = page.get("NextToken")
        if not token:
            return environments


def resource_tags(eb: Any, arn: str) -> list[dict[str, str]]:
    """An environment's or an application's tags (ListTagsForResource takes either ARN)."""
    return list(eb.list_tags_for_resource(ResourceArn=arn).get("ResourceTags", []))


def environment_id(environment: dict[str, Any]) -> str:
    """The resource ID of an environment: its EnvironmentId (moto leaves it empty: the name)."""
    return str(environment.get("EnvironmentId") or environment["EnvironmentName"])
