from __future__ import annotations

from collections.abc import Sequence

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="ecs:cluster",
    requires=(
        "ecs:service",  # a cluster with services (even DRAINING ones): ClusterContainsServicesException
        "ecs:task",  # a cluster with running tasks: ClusterContainsTasksException
        "ec2:instance",  # registered container instances: ClusterContainsContainerInstancesException
        "autoscaling:group",  # whose instances register as container instances again
    ),
    linked_requires=("ecs:service",),  # discovery links each cluster to its services
    transition_seconds=5.0,  # INACTIVE at once; DEPROVISIONING while capacity providers are removed
    delete_batch_size=100,  # DescribeClusters confirms up to 100 per call
    description="ECS clusters (the cluster named default only with --include-defaults)",
)
DESCRIBE_BATCH = 100  # DescribeClusters takes up to 100 clusters
DEFAULT = "default"  # the cluster ECS creates by itself when a task or service names no cluster


class EcsClusterHandler(AwsHandler):
    spec = SPEC
    free_because = "clusters have no charge (their tasks, services and container instances bill)"
    iam_actions = ("ecs:ListClusters", "ecs:DescribeClusters", "ecs:ListServices", "ecs:DeleteCluster")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        ecs = self.client(location)
        arns = [arn for page in ecs.get_paginator("list_clusters").paginate() for arn in page["clusterArns"]]
        found = []
        for batch in chunked(arns, DESCRIBE_BATCH):
            for cluster in ecs.describe_clusters(clusters=list(batch), include=["TAGS"])["clusters"]:
                if cluster.get("status") == "INACTIVE":  # deleted, still described for a while
                    continue
                if cluster["clusterName"] == DEFAULT and not self.options.include_defaults:
                    continue
                found.append(
                    self.resource(
                        location,
                        cluster["clusterArn"],
                        name=cluster["clusterName"],
                        tags=tag_dict(
                            [{"Key": t["key"], "Value": t["value"]} for t in cluster.get("tags", [])]
                        ),
                        attributes={
                            "status": cluster.get("status"),
                            "services": cluster.get("activeServicesCount"),
                            "running_tasks": cluster.get("runningTasksCount"),
                            "container_instances": cluster.get("registeredContainerInstancesCount"),
                        },
                        links=tuple(
                            Link("ecs:service", arn, "runs service")
                            for p in ecs.get_paginator("list_services").paginate(
                                cluster=cluster["clusterArn"]
                            )
                            for arn in p["serviceArns"]
                        ),
                    )
                )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ecs = self.client(location)
        # ClusterContains*Exception while services, tasks or container instances remain: not yet;
        # ClusterNotFoundException: gone
        return each(resources, lambda c: ecs.delete_cluster(cluster=c.id), "ecs:DeleteCluster")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ecs = self.client(location)
        statuses: dict[str, str] = {}
        for batch in chunked([r.id for r in resources], DESCRIBE_BATCH):
            reply = ecs.describe_clusters(clusters=list(batch))  # unknown ones come back as failures
            statuses.update({c["clusterArn"]: c.get("status", "") for c in reply["clusters"]})
        outcomes = []
        for cluster in resources:
            status = statuses.get(cluster.id, "INACTIVE")
            if status == "INACTIVE":
                outcomes.append(done(cluster.id))
            elif status == "FAILED":
                outcomes.append(ResourceOutcome(cluster.id, OutcomeKind.FAILED, "cluster FAILED"))
            else:
                outcomes.append(pending(cluster.id, status))
        return outcomes
