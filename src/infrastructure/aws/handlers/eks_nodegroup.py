from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending

SPEC = ResourceTypeSpec(
    key="eks:nodegroup",
    transition_seconds=180.0,  # UPDATING -> ACTIVE while nodes drain or join, DELETING takes minutes too
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    description="EKS managed node groups (deleted, or parked at min = desired = 0; the cluster stays)",
)


def _settings(group: Mapping[str, Any]) -> dict[str, Any]:
    scaling = group.get("scalingConfig", {})
    return {
        "min": scaling.get("minSize"),
        "max": scaling.get("maxSize"),
        "desired": scaling.get("desiredSize"),
        "status": group.get("status"),
    }


class EksNodegroupHandler(AwsHandler):
    spec = SPEC
    # the cluster's own hour (AmazonEKS-Hours:perCluster) belongs to the cluster, not to its groups
    free_because = "billed as its EC2 instances (ec2:instance)"
    iam_actions = (
        "eks:ListClusters",
        "eks:ListNodegroups",
        "eks:DescribeNodegroup",
        "eks:UpdateNodegroupConfig",
        "eks:DeleteNodegroup",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        eks = self.client(location)
        found = []
        for page in eks.get_paginator("list_clusters").paginate():
            for cluster in page["clusters"]:
                for groups in eks.get_paginator("list_nodegroups").paginate(clusterName=cluster):
                    for name in groups["nodegroups"]:
                        group = eks.describe_nodegroup(clusterName=cluster, nodegroupName=name)["nodegroup"]
                        found.append(
                            self.resource(
                                location,
                                f"{cluster}/{name}",
                                name=name,
                                tags=dict(group.get("tags", {})),
                                attributes={"cluster": cluster, "settings": _settings(group)},
                            )
                        )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """DeleteNodegroup drains and terminates the group's nodes, then the group (DELETING, minutes);
        ResourceInUse while the group is still being created or updated: not yet."""
        eks = self.client(location)

        def delete(group: Resource) -> ResourceOutcome:
            cluster, name = group.id.split("/", 1)
            eks.delete_nodegroup(clusterName=cluster, nodegroupName=name)
            return pending(group.id, "deleting")

        return each(resources, delete, "eks:DeleteNodegroup")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        outcomes = []
        for group in resources:
            settings = self.read(location, group)
            status = settings and settings.get("status")
            if settings is None:
                outcomes.append(done(group.id))
            elif status == "DELETE_FAILED":
                outcomes.append(
                    ResourceOutcome(group.id, OutcomeKind.FAILED, "DELETE_FAILED: see its health issues")
                )
            else:
                outcomes.append(pending(group.id, str(status)))
        return outcomes

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"min": 0, "desired": 0}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("desired") == 0 and settings.get("min") == 0

    def in_transition(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("status") not in (None, "ACTIVE")

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._scale(location, resources, lambda group: (0, int(saved[group.id]["max"]), 0))

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._scale(
            location,
            resources,
            lambda group: (
                int(saved[group.id]["min"]),
                int(saved[group.id]["max"]),
                int(saved[group.id]["desired"]),
            ),
        )

    def _scale(
        self,
        location: Location,
        resources: Sequence[Resource],
        sizes: Callable[[Resource], tuple[int, int, int]],
    ) -> list[ResourceOutcome]:
        """Each group to its (min, max, desired)."""
        eks = self.client(location)

        def scale(group: Resource) -> ResourceOutcome:
            cluster, name = group.id.split("/", 1)
            low, high, desired = sizes(group)
            eks.update_nodegroup_config(
                clusterName=cluster,
                nodegroupName=name,
                scalingConfig={"minSize": low, "maxSize": high, "desiredSize": desired},
            )
            return pending(group.id, f"scaling to {desired}")

        return each(resources, scale, "eks:UpdateNodegroupConfig")

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        cluster, name = resource.id.split("/", 1)
        try:
            group = self.client(location).describe_nodegroup(clusterName=cluster, nodegroupName=name)[
                "nodegroup"
            ]
        except ClientError as error:
            if outcome(resource.id, error).kind is OutcomeKind.GONE:
                return None
            raise
        return _settings(group)
