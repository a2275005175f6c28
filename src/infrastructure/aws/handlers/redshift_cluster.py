from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from costzero.domain.costing import Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, done, each, pending, tag_dict
from costzero.infrastructure.aws.handler_kit.rds import REDSHIFT_FINAL_MARK

SPEC = ResourceTypeSpec(
    key="redshift:cluster",
    transition_seconds=300.0,  # final snapshot, then deleting -> gone: minutes (an estimate)
    description=(
        "Redshift provisioned clusters (deleted with a final snapshot, a redshift:snapshot, unless"
        " skip_final_snapshot)"
    ),
    final_snapshot=True,
)
REDSHIFT = "AmazonRedshift"
PAUSED = "paused"
GOING = frozenset({"final-snapshot", "deleting"})  # DeleteCluster accepted: snapshot, then deletion


def final_snapshot_id(cluster_id: str, now: datetime) -> str:
    """A valid snapshot identifier (letters, digits, single hyphens, up to 255 characters; cluster
    identifiers follow the same rules, up to 63) naming the cluster and the moment."""
    return f"{cluster_id}{REDSHIFT_FINAL_MARK}{now:%Y%m%d%H%M%S}"


class RedshiftClusterHandler(AwsHandler):
    """DeleteCluster with a final snapshot unless the user set skip_final_snapshot: the data
    survives as a manual snapshot that bills storage until a later destroy deletes it
    (redshift:snapshot) or the user does."""

    spec = SPEC
    iam_actions = ("redshift:DescribeClusters", "redshift:DeleteCluster", "redshift:CreateClusterSnapshot")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_clusters").paginate():
            for cluster in page.get("Clusters", []):
                found.append(
                    self.resource(
                        location,
                        cluster["ClusterIdentifier"],
                        name=cluster["ClusterIdentifier"],
                        tags=tag_dict(cluster.get("Tags")),
                        created_at=cluster.get("ClusterCreateTime"),
                        attributes={
                            "status": cluster.get("ClusterStatus"),
                            "node_type": cluster.get("NodeType"),
                            "nodes": cluster.get("NumberOfNodes"),
                            "subnet_group": cluster.get("ClusterSubnetGroupName"),
                        },
                    )
                )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Node hours (none while paused). RA3 managed storage and backups beyond the free
        allowance are billed by the GB stored: not estimated."""
        attributes = resource.attributes
        if attributes.get("status") == PAUSED:
            return ()
        node_type, nodes = attributes.get("node_type"), attributes.get("nodes")
        quantity = float(nodes) if isinstance(nodes, int) else None
        return (Usage(REDSHIFT, f"Node:{node_type}", "Hrs", quantity, note=f"{nodes} x {node_type}"),)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        redshift = self.client(location)
        now = datetime.now(UTC)

        def delete(cluster: Resource) -> ResourceOutcome:  # no batch API
            if cluster.attributes.get("status") in GOING:
                return pending(cluster.id, str(cluster.attributes["status"]))
            # InvalidClusterState (resizing, modifying, creating) -> not yet
            if self.options.skip_final_snapshot:
                redshift.delete_cluster(ClusterIdentifier=cluster.id, SkipFinalClusterSnapshot=True)
                return pending(cluster.id, "deleting, no final snapshot")
            snapshot = final_snapshot_id(cluster.id, now)
            redshift.delete_cluster(
                ClusterIdentifier=cluster.id,
                SkipFinalClusterSnapshot=False,  # AWS's default, said out loud: the data is kept
                FinalClusterSnapshotIdentifier=snapshot,
            )
            return pending(cluster.id, f"deleting; final snapshot {snapshot} kept")

        return each(resources, delete, "redshift:DeleteCluster")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        redshift = self.client(location)

        def check(cluster: Resource) -> ResourceOutcome:
            try:
                reply = redshift.describe_clusters(ClusterIdentifier=cluster.id)
            except ClientError as error:
                if outcome(cluster.id, error).kind is OutcomeKind.GONE:
                    return done(cluster.id)
                raise
            statuses = [c.get("ClusterStatus") for c in reply.get("Clusters", [])]
            return pending(cluster.id, str(statuses[0])) if statuses else done(cluster.id)

        return [check(cluster) for cluster in resources]
