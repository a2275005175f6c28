from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, tag_dict
from costzero.infrastructure.aws.handler_kit.efs import access_points

SPEC = ResourceTypeSpec(
    key="efs:access-point",
    transition_seconds=5.0,  # deleting -> gone: seconds (an estimate)
    description="EFS access points",
)


class EfsAccessPointHandler(AwsHandler):
    """Listed account-wide with their tags by DescribeAccessPoints; DeleteAccessPoint, then the
    access point is confirmed gone (AccessPointNotFound). A missing one is gone."""

    spec = SPEC
    free_because = "access points have no charge (the file system's storage is billed)"
    iam_actions = ("elasticfilesystem:DescribeAccessPoints", "elasticfilesystem:DeleteAccessPoint")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        return [
            self.resource(
                location,
                point["AccessPointId"],
                name=point.get("Name") or None,
                tags=tag_dict(point.get("Tags")),
                attributes={
                    "file_system_id": point.get("FileSystemId"),
                    "state": point.get("LifeCycleState"),
                },
            )
            for point in access_points(self.client(location))
        ]

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        efs = self.client(location)

        def delete(point: Resource) -> ResourceOutcome:  # no batch API
            efs.delete_access_point(AccessPointId=point.id)
            return pending(point.id, "deleting")

        return each(resources, delete, "elasticfilesystem:DeleteAccessPoint")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        efs = self.client(location)
        outcomes = []
        for point in resources:
            try:
                found = efs.describe_access_points(AccessPointId=point.id).get("AccessPoints", [])
            except ClientError as error:
                if error_code(error) == "AccessPointNotFound":
                    outcomes.append(done(point.id))
                else:
                    outcomes.append(outcome(point.id, error, "elasticfilesystem:DescribeAccessPoints"))
                continue
            state = found[0].get("LifeCycleState") if found else "deleted"
            outcomes.append(done(point.id) if state == "deleted" else pending(point.id, str(state)))
        return outcomes
