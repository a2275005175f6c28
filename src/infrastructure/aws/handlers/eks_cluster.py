from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending

SPEC = ResourceTypeSpec(
    key="eks:cluster",
    requires=(
        "eks:nodegroup",  # a cluster with node groups: ResourceInUseException
        "eks:fargate-profile",  # ... or with Fargate profiles: ResourceInUseException
    ),
    linked_requires=("eks:nodegroup", "eks:fargate-profile"),  # discovery links each cluster to its own
    transition_seconds=240.0,  # DELETING takes a few minutes for the control plane
    description="EKS clusters (the control plane; after their node groups and Fargate profiles)",
)


class EksClusterHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "eks:ListClusters",
        "eks:DescribeCluster",
        "eks:ListNodegroups",
        "eks:ListFargateProfiles",
        "eks:UpdateClusterConfig",
        "eks:DeleteCluster",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        eks = self.client(location)
        found = []
        for page in eks.get_paginator("list_clusters").paginate():
            for name in page["clusters"]:
                cluster = _describe(eks, name)
                if cluster is None:  # deleted between the listing and the read
                    continue
                found.append(
                    self.resource(
                        location,
                        name,
                        name=name,
                        tags=dict(cluster.get("tags") or {}),
                        created_at=cluster.get("createdAt"),
                        attributes={
                            "status": cluster.get("status"),
                            "version": cluster.get("version"),
                            "deletion_protection": bool(cluster.get("deletionProtection")),
                        },
                        links=_members(eks, name),
                    )
                )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """The cluster hour (standard support). A version in extended support is billed more per
        hour, which this estimate does not price; nodes bill as their instances, Fargate pods as
        Fargate."""
        version = resource.attributes.get("version")
        note = f"Kubernetes {version}, standard support" if version else "standard support"
        return (Usage("AmazonEKS", "AmazonEKS-Hours:perCluster", "Hours", 1.0, note=note),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """Reads each cluster live first: its protection flag and status may have changed since
        discovery (turning protection off is itself an update the delete must wait for)."""
        eks = self.client(location)
        may_disable = self.options.may_disable_protection(self.spec.key)

        def delete(resource: Resource) -> ResourceOutcome:
            cluster = _describe(eks, resource.id)
            if cluster is None:
                return ResourceOutcome(resource.id, OutcomeKind.GONE, "no longer exists")
            if cluster.get("status") == "DELETING":
                return pending(resource.id, "deleting")
            if cluster.get("deletionProtection"):
                if not may_disable:
                    message = f"deletion protection on; --disable-protection {self.spec.key} to delete it"
                    return ResourceOutcome(resource.id, OutcomeKind.PROTECTED, message)
                eks.update_cluster_config(name=resource.id, deletionProtection=False)
                return ResourceOutcome(resource.id, OutcomeKind.NOT_YET, "turning deletion protection off")
            if cluster.get("status") in ("CREATING", "UPDATING"):
                return ResourceOutcome(resource.id, OutcomeKind.NOT_YET, f"cluster {cluster['status']}")
            eks.delete_cluster(name=resource.id)  # ResourceInUse while node groups or profiles remain
            return pending(resource.id, "deleting")

        return each(resources, delete, "eks:DeleteCluster")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        eks = self.client(location)
        outcomes = []
        for resource in resources:
            cluster = _describe(eks, resource.id)
            if cluster is None:
                outcomes.append(done(resource.id))
            elif cluster.get("status") == "FAILED":
                outcomes.append(ResourceOutcome(resource.id, OutcomeKind.FAILED, "cluster FAILED"))
            else:
                outcomes.append(pending(resource.id, str(cluster.get("status"))))
        return outcomes


def _members(eks: Any, name: str) -> tuple[Link, ...]:
    """The cluster's node groups and Fargate profiles (IDs "<cluster>/<name>", as their handlers
    key them): a kept or unselected one holds the cluster back instead of failing its delete."""
    groups = [
        Link("eks:nodegroup", f"{name}/{group}", "runs node group")
        for page in eks.get_paginator("list_nodegroups").paginate(clusterName=name)
        for group in page["nodegroups"]
    ]
    profiles = [
        Link("eks:fargate-profile", f"{name}/{profile}", "runs Fargate profile")
        for page in eks.get_paginator("list_fargate_profiles").paginate(clusterName=name)
        for profile in page["fargateProfileNames"]
    ]
    return tuple(groups + profiles)


def _describe(eks: Any, name: str) -> Mapping[str, Any] | None:
    """The cluster, or None once AWS no longer knows it."""
    try:
        return dict(eks.describe_cluster(name=name)["cluster"])
    except ClientError as error:
        if outcome(name, error).kind is OutcomeKind.GONE:
            return None
        raise
