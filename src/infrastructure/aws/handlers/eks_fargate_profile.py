from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending

SPEC = ResourceTypeSpec(
    key="eks:fargate-profile",
    # nothing of this family must go first: the profile's pods stop with it
    transition_seconds=120.0,  # DELETING: its pods are stopped first (a few minutes)
    description="EKS Fargate profiles (one per cluster deletes at a time)",
)


class EksFargateProfileHandler(AwsHandler):
    spec = SPEC
    free_because = "a profile has no charge; the pods it runs bill Fargate vCPU and memory hours"
    iam_actions = (
        "eks:ListClusters",
        "eks:ListFargateProfiles",
        "eks:DescribeFargateProfile",
        "eks:DeleteFargateProfile",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        eks = self.client(location)
        found = []
        for page in eks.get_paginator("list_clusters").paginate():
            for cluster in page["clusters"]:
                for profiles in eks.get_paginator("list_fargate_profiles").paginate(clusterName=cluster):
                    for name in profiles["fargateProfileNames"]:
                        profile = _describe(eks, cluster, name)
                        if profile is None:
                            continue
                        found.append(
                            self.resource(
                                location,
                                f"{cluster}/{name}",
                                name=name,
                                tags=dict(profile.get("tags") or {}),
                                created_at=profile.get("createdAt"),
                                attributes={"cluster": cluster, "status": profile.get("status")},
                            )
                        )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        eks = self.client(location)

        def delete(profile: Resource) -> ResourceOutcome:
            cluster, name = profile.id.split("/", 1)
            # ResourceInUse while another profile of the cluster is DELETING (one at a time): not yet
            eks.delete_fargate_profile(clusterName=cluster, fargateProfileName=name)
            return pending(profile.id, "deleting")

        return each(resources, delete, "eks:DeleteFargateProfile")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        eks = self.client(location)
        outcomes = []
        for resource in resources:
            profile = _describe(eks, *resource.id.split("/", 1))
            if profile is None:
                outcomes.append(done(resource.id))
            elif profile.get("status") == "DELETE_FAILED":
                outcomes.append(ResourceOutcome(resource.id, OutcomeKind.FAILED, "DELETE_FAILED"))
            else:
                outcomes.append(pending(resource.id, str(profile.get("status"))))
        return outcomes


def _describe(eks: Any, cluster: str, name: str) -> Mapping[str, Any] | None:
    """The profile, or None once AWS no longer knows it (or its cluster)."""
    try:
        return dict(
            eks.describe_fargate_profile(clusterName=cluster, fargateProfileName=name)["fargateProfile"]
        )
    except ClientError as error:
        if outcome(name, error).kind is OutcomeKind.GONE:
            return None
        raise
