from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import read_all_tags
from costzero.infrastructure.aws.handler_kit.toggle import StatusToggleHandler

SPEC = ResourceTypeSpec(
    key="sagemaker:notebook-instance",
    transition_seconds=120.0,  # Stopping -> Stopped, Pending -> InService (an estimate)
    actions=frozenset({Action.STOP, Action.START}),
    description="SageMaker notebook instances (stopped; the ML storage volume is kept)",
)


def _notebook_tags(sagemaker: Any, arn: str) -> list[dict[str, str]]:
    pages = sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn)
    return [tag for page in pages for tag in page.get("Tags", [])]


class SageMakerNotebookInstanceHandler(StatusToggleHandler):
    spec = SPEC
    describe, items_key, id_key, status_key = (
        "list_notebook_instances",
        "NotebookInstances",
        "NotebookInstanceName",
        "NotebookInstanceStatus",
    )
    stop_call, start_call, stopped = "stop_notebook_instance", "start_notebook_instance", "Stopped"
    moving = frozenset({"Pending", "Stopping", "Updating", "Deleting"})

    def tags(self, location: Location, items: Sequence[Mapping[str, Any]]) -> list[dict[str, str] | None]:
        # ListNotebookInstances carries no tags: one ListTags per notebook (unreadable: None, kept)
        sagemaker = self.client(location)
        return read_all_tags(_notebook_tags, [(sagemaker, item["NotebookInstanceArn"]) for item in items])

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        try:  # the list call is not a lookup by name: describe the one notebook
            item = self.client(location).describe_notebook_instance(NotebookInstanceName=resource.id)
        except ClientError as error:
            if "does not exist" in str(error) or "RecordNotFound" in str(error):
                return None
            raise
        return {"status": item["NotebookInstanceStatus"]}
