from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handlers.toggle import StatusToggleHandler

SPEC = ResourceTypeSpec(
    key="sagemaker:notebook-instance",
    actions=frozenset({Action.STOP, Action.START}),
    description="SageMaker notebook instances (stopped; the ML storage volume is kept)",
)


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

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        try:  # the list call is not a lookup by name: describe the one notebook
            item = self.client(location).describe_notebook_instance(NotebookInstanceName=resource.id)
        except ClientError as error:
            if "does not exist" in str(error) or "RecordNotFound" in str(error):
                return None
            raise
        return {"status": item["NotebookInstanceStatus"]}
