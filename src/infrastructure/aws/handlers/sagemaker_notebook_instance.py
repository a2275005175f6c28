from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import each, pending, read_all_tags
from costzero.infrastructure.aws.handler_kit.sagemaker import is_not_found, sagemaker_outcome
from costzero.infrastructure.aws.handler_kit.toggle import StatusToggleHandler

SPEC = ResourceTypeSpec(
    key="sagemaker:notebook-instance",
    transition_seconds=120.0,  # Stopping -> Stopped, Pending -> InService, Deleting -> gone (an estimate)
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    description="SageMaker notebook instances (stopped; the ML storage volume is kept)",
)
SAGEMAKER = "AmazonSageMaker"
NOT_RUNNING = frozenset({"Stopped", "Failed"})  # no instance hours; the volume is still billed


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
    iam_actions = (
        "sagemaker:ListNotebookInstances",
        "sagemaker:DescribeNotebookInstance",
        "sagemaker:ListTags",
        "sagemaker:StopNotebookInstance",
        "sagemaker:StartNotebookInstance",
        "sagemaker:DeleteNotebookInstance",
    )

    def extra(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"instance_type": item.get("InstanceType")}

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        """Each notebook also gets `volume_gb`, its ML storage volume (one DescribeNotebookInstance
        each: the listing does not carry it; None when unreadable)."""
        sagemaker = self.client(location)
        found = []
        for notebook in super().discover(location, regions):
            try:
                size = sagemaker.describe_notebook_instance(NotebookInstanceName=notebook.id).get(
                    "VolumeSizeInGB"
                )
            except ClientError:
                size = None
            found.append(replace(notebook, attributes={**notebook.attributes, "volume_gb": size}))
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Instance hours while it runs (a stop ends them) and its ML storage volume, billed while
        the notebook exists."""
        attributes = resource.attributes
        usages = []
        if attributes.get("settings", {}).get("status") not in NOT_RUNNING:
            kind = attributes.get("instance_type")
            usages.append(Usage(SAGEMAKER, f"Notebk:{kind}", "Hrs", 1.0, note=str(kind)))
        size = attributes.get("volume_gb")
        note = "volume size unknown" if size is None else f"{size} GB ML storage"
        gb = None if size is None else float(size)
        usages.append(Usage(SAGEMAKER, "Notebk:VolumeUsage.gp2", "GB-Mo", gb, CostPart.STORAGE, True, note))
        return tuple(usages)

    def tags(self, location: Location, items: Sequence[Mapping[str, Any]]) -> list[dict[str, str] | None]:
        # ListNotebookInstances carries no tags: one ListTags per notebook (unreadable: None, kept)
        sagemaker = self.client(location)
        return read_all_tags(_notebook_tags, [(sagemaker, item["NotebookInstanceArn"]) for item in items])

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """AWS deletes only a Stopped or Failed notebook, so deleting one is a transition of up to
        two steps: a running notebook is stopped, a stopped one deleted (asynchronous: Deleting,
        then gone). Each attempt and each confirmation reads the live status and takes the next
        step (`_advance`), so the wait for Stopping is paced like any transition."""
        return self._advance_all(location, resources, OutcomeKind.GONE)

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        return self._advance_all(location, resources, OutcomeKind.DONE)

    def _advance_all(
        self, location: Location, resources: Sequence[Resource], missing: OutcomeKind
    ) -> list[ResourceOutcome]:
        """`missing`: what a notebook that no longer exists is (GONE before our delete, DONE after)."""
        sagemaker = self.client(location)
        return each(
            resources,
            lambda n: self._advance(sagemaker, n, missing),
            "sagemaker:DeleteNotebookInstance",
            sagemaker_outcome,
        )

    def _advance(self, sagemaker: Any, notebook: Resource, missing: OutcomeKind) -> ResourceOutcome:
        status = self._status(sagemaker, notebook.id)  # the listing's may be minutes old
        if status is None:
            return ResourceOutcome(notebook.id, missing, "no longer exists")
        if status == "InService":
            sagemaker.stop_notebook_instance(NotebookInstanceName=notebook.id)
            return pending(notebook.id, "stopping, then deleted")
        if status in NOT_RUNNING:
            sagemaker.delete_notebook_instance(NotebookInstanceName=notebook.id)
            return pending(notebook.id, "deleting")
        if status == "Deleting":
            return pending(notebook.id, "deleting")
        return pending(notebook.id, f"{status}, then stopped and deleted")  # Pending, Updating, Stopping

    @staticmethod
    def _status(sagemaker: Any, name: str) -> str | None:
        """The notebook's live status; None when it does not exist."""
        try:
            return str(
                sagemaker.describe_notebook_instance(NotebookInstanceName=name)["NotebookInstanceStatus"]
            )
        except ClientError as error:
            if is_not_found(error):
                return None
            raise

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        try:  # the list call is not a lookup by name: describe the one notebook
            item = self.client(location).describe_notebook_instance(NotebookInstanceName=resource.id)
        except ClientError as error:
            if "does not exist" in str(error) or "RecordNotFound" in str(error):
                return None
            raise
        return {"status": item["NotebookInstanceStatus"]}
