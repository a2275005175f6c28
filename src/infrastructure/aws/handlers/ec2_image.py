from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="ec2:image",
    description="AMIs owned by the account (deregistered; their snapshots are ec2:snapshot)",
)


class Ec2ImageHandler(ListDeleteHandler):
    spec = SPEC
    iam_actions = (
        "ec2:DescribeImages",
        "ec2:DeregisterImage",
    )
    free_because = "billed as its EBS snapshots (ec2:snapshot)"
    list_call, list_args, items_key = "describe_images", {"Owners": ["self"]}, "Images"
    id_key, name_key = "ImageId", "Name"
    delete_call, delete_param = "deregister_image", "ImageId"  # no batch API for AMIs

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        snapshots = [
            m["Ebs"]["SnapshotId"]
            for m in item.get("BlockDeviceMappings", [])
            if "Ebs" in m and "SnapshotId" in m["Ebs"]
        ]
        return {"state": item.get("State"), "snapshot_ids": snapshots}
