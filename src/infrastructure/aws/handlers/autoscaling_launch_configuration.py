from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.autoscaling import not_found_is_gone
from costzero.infrastructure.aws.handler_kit.base import each
from costzero.infrastructure.aws.handler_kit.list_delete import ListDeleteHandler

SPEC = ResourceTypeSpec(
    key="autoscaling:launch-configuration",
    # a launch configuration a group still uses cannot be deleted (ResourceInUse)
    requires=("autoscaling:group",),
    taggable=False,  # launch configurations carry no tags
    description="Auto Scaling launch configurations (after the groups that use them)",
)


class AutoScalingLaunchConfigurationHandler(ListDeleteHandler):
    spec = SPEC
    free_because = "a launch configuration has no charge: the instances it launches bill (ec2:instance)"
    iam_actions = ("autoscaling:DescribeLaunchConfigurations", "autoscaling:DeleteLaunchConfiguration")
    list_call, items_key = "describe_launch_configurations", "LaunchConfigurations"  # paginated
    id_key, name_key, created_key = "LaunchConfigurationName", "LaunchConfigurationName", "CreatedTime"
    tags_key = None
    delete_call, delete_param = "delete_launch_configuration", "LaunchConfigurationName"

    def attributes(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {"image_id": item.get("ImageId"), "instance_type": item.get("InstanceType")}

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        autoscaling = self.client(location)

        def delete(configuration: Resource) -> None:
            # ResourceInUse while a group uses it -> not yet; gone since discovery -> ValidationError
            autoscaling.delete_launch_configuration(LaunchConfigurationName=configuration.id)

        return each(resources, delete, "autoscaling:DeleteLaunchConfiguration", not_found_is_gone)
