from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, pending, read_tags

SPEC = ResourceTypeSpec(
    key="opensearch:domain",
    transition_seconds=600.0,  # deleting -> gone: ten minutes or more (an estimate)
    description="OpenSearch Service (and Elasticsearch) domains",
)
OPENSEARCH = "AmazonES"  # the Price List's service code, from the Elasticsearch Service days
DESCRIBE_BATCH = 5  # DescribeDomains takes up to 5 names


def _nodes(config: Mapping[str, Any]) -> list[tuple[str, str | None, Any]]:
    """(role, instance type, count) of every kind of node the domain runs."""
    nodes = [("data", config.get("InstanceType"), config.get("InstanceCount"))]
    if config.get("DedicatedMasterEnabled"):
        nodes.append(("master", config.get("DedicatedMasterType"), config.get("DedicatedMasterCount")))
    if config.get("WarmEnabled"):
        nodes.append(("warm", config.get("WarmType"), config.get("WarmCount")))
    return nodes


def _tags(opensearch: Any, arn: str) -> list[dict[str, str]]:
    return list(opensearch.list_tags(ARN=arn).get("TagList", []))


class OpenSearchDomainHandler(AwsHandler):
    spec = SPEC
    iam_actions = ("es:ListDomainNames", "es:DescribeDomains", "es:ListTags", "es:DeleteDomain")

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        opensearch = self.client(location)
        names = [d["DomainName"] for d in opensearch.list_domain_names().get("DomainNames", [])]  # one page
        found = []
        for batch in chunked(names, DESCRIBE_BATCH):
            for domain in opensearch.describe_domains(DomainNames=list(batch)).get("DomainStatusList", []):
                ebs = domain.get("EBSOptions") or {}
                found.append(
                    self.resource(
                        location,
                        domain["DomainName"],
                        name=domain["DomainName"],
                        tags=read_tags(_tags, opensearch, domain.get("ARN")),
                        attributes={
                            "deleted": bool(domain.get("Deleted")),
                            "engine_version": domain.get("EngineVersion"),
                            "nodes": [list(n) for n in _nodes(domain.get("ClusterConfig") or {})],
                            "ebs": {
                                "enabled": bool(ebs.get("EBSEnabled")),
                                "type": ebs.get("VolumeType"),
                                "gib": ebs.get("VolumeSize"),
                            },
                        },
                    )
                )
        return found

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Instance hours of every data, dedicated master and warm node, and the EBS storage of
        each data node. The bundled book has no OpenSearch prices (usage types and prices not
        verified): both stay unknown. UltraWarm and cold storage are billed by the GB: not
        estimated."""
        attributes = resource.attributes
        usages = []
        for role, instance_type, count in attributes.get("nodes") or []:
            quantity = float(count) if isinstance(count, int) else None
            note = f"{count} {role} node(s) {instance_type}"
            usages.append(Usage(OPENSEARCH, f"ESInstance:{instance_type}", "Hrs", quantity, note=note))
        ebs = attributes.get("ebs") or {}
        if ebs.get("enabled"):
            data = [n for n in attributes.get("nodes") or [] if n[0] == "data"]
            count = data[0][2] if data else None
            gib = ebs.get("gib")
            total = float(gib * count) if isinstance(gib, int) and isinstance(count, int) else None
            note = f"{gib} GiB {ebs.get('type')} on each of {count} data node(s)"
            usages.append(
                Usage(
                    OPENSEARCH, f"ES:{ebs.get('type')}-Storage", "GB-Mo", total, CostPart.STORAGE, True, note
                )
            )
        return tuple(usages)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        opensearch = self.client(location)

        def delete(domain: Resource) -> ResourceOutcome:  # no batch API
            if domain.attributes.get("deleted"):
                return pending(domain.id, "deleting")
            opensearch.delete_domain(DomainName=domain.id)
            return pending(domain.id, "deleting")

        return each(resources, delete, "es:DeleteDomain")

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        opensearch = self.client(location)

        def check(domain: Resource) -> ResourceOutcome:
            try:
                opensearch.describe_domain(DomainName=domain.id)
            except ClientError as error:
                if outcome(domain.id, error).kind is OutcomeKind.GONE:
                    return done(domain.id)
                raise
            return pending(domain.id, "deleting")

        return [check(domain) for domain in resources]
