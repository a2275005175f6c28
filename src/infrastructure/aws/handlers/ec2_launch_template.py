from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="ec2:launch-template",
    requires=(
        # a group launching from the template would fail to scale out once it is gone
        "autoscaling:group",
        # EKS deletes the template it made for a managed node group with the group
        "eks:nodegroup",
    ),
    description="EC2 launch templates (all their versions; not those a service manages)",
)


class Ec2LaunchTemplateHandler(ListDeleteHandler):
    spec = SPEC
    free_because = "a launch template has no charge: the instances it launches bill (ec2:instance)"
    iam_actions = ("ec2:DescribeLaunchTemplates", "ec2:DeleteLaunchTemplate")
    list_call, items_key = "describe_launch_templates", "LaunchTemplates"  # paginated
    id_key, name_key, created_key = "LaunchTemplateId", "LaunchTemplateName", "CreateTime"
    delete_call, delete_param = "delete_launch_template", "LaunchTemplateId"  # every version with it

    def include(self, item: Mapping[str, Any]) -> bool:
        # Operator.Managed: a service (EKS Auto Mode, ...) owns it and deletes it itself
        return not item.get("Operator", {}).get("Managed", False)

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "default_version": item.get("DefaultVersionNumber"),
            "latest_version": item.get("LatestVersionNumber"),
        }
