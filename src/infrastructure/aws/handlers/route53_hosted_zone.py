from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.errors import error_code, error_message
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, each, tag_dict

SPEC = ResourceTypeSpec(
    key="route53:hosted-zone",
    scope=Scope.GLOBAL,  # Route 53 is account-wide
    delete_batch_size=1,  # one zone per call; its records go in change batches of up to 1000
    description="Route 53 hosted zones, with every record but the zone's own SOA and NS",
)
# ChangeResourceRecordSets takes at most 1,000 ResourceRecord elements and 32,000 characters of
# record values per request (a DELETE counts each of its records once).
MAX_RECORDS, MAX_CHARACTERS = 1000, 32000
TAG_BATCH = 10  # ListTagsForResources takes up to 10 IDs


class Route53HostedZoneHandler(AwsHandler):
    """Public and private hosted zones. DeleteHostedZone refuses a zone holding any record but
    its apex SOA and NS (HostedZoneNotEmpty): the others are deleted first, in change batches.
    Never listed: zones another service manages (LinkedService: Cloud Map namespaces)."""

    spec = SPEC
    iam_actions = (
        "route53:ListHostedZones",
        "route53:ListTagsForResources",
        "route53:ListResourceRecordSets",
        "route53:ChangeResourceRecordSets",
        "route53:DeleteHostedZone",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        route53 = self.client(location)
        zones = [
            zone
            for page in route53.get_paginator("list_hosted_zones").paginate()
            for zone in page["HostedZones"]
            if not zone.get("LinkedService")
        ]
        tags: dict[str, dict[str, str]] = {}
        for batch in chunked([_zone_id(z["Id"]) for z in zones], TAG_BATCH):
            reply = route53.list_tags_for_resources(ResourceType="hostedzone", ResourceIds=list(batch))
            tags.update({t["ResourceId"]: tag_dict(t.get("Tags")) for t in reply["ResourceTagSets"]})
        return [
            self.resource(
                location,
                _zone_id(zone["Id"]),
                name=zone["Name"],
                tags=tags.get(_zone_id(zone["Id"]), {}),
                attributes={
                    "private": zone.get("Config", {}).get("PrivateZone", False),
                    "records": zone.get("ResourceRecordSetCount"),
                },
            )
            for zone in zones
        ]

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """A monthly charge per zone ($0.50 for each of the first 25); queries bill per use."""
        return (
            Usage(
                "AmazonRoute53",
                "HostedZone",
                "HostedZone",
                1.0,
                CostPart.STORAGE,
                monthly=True,
                note="1 zone",
            ),
        )

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        route53 = self.client(location)

        def delete(zone: Resource) -> ResourceOutcome | None:
            try:
                changes = [
                    {"Action": "DELETE", "ResourceRecordSet": record}
                    for record in _records(route53, zone.id)
                    if not _apex_soa_or_ns(record, zone.name or "")
                ]
                for batch in _batches(changes):
                    route53.change_resource_record_sets(
                        HostedZoneId=zone.id, ChangeBatch={"Changes": batch, "Comment": "costzero destroy"}
                    )
            except ClientError as error:
                if error_code(error) == "InvalidChangeBatch":  # a record changed since it was listed
                    return ResourceOutcome(zone.id, OutcomeKind.NOT_YET, error_message(error))
                raise
            route53.delete_hosted_zone(Id=zone.id)  # HostedZoneNotEmpty (a record added) -> not yet
            return None

        return each(resources, delete, "route53:DeleteHostedZone")


def _zone_id(raw: str) -> str:
    return raw.rsplit("/", 1)[-1]  # "/hostedzone/Z123" -> "Z123"


def _records(route53: Any, zone_id: str) -> list[dict[str, Any]]:
    pages = route53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone_id)
    return [record for page in pages for record in page["ResourceRecordSets"]]


def _apex_soa_or_ns(record: Mapping[str, Any], zone_name: str) -> bool:
    """The two record sets that go with the zone itself (DeleteHostedZone deletes them)."""
    return record["Type"] in ("SOA", "NS") and _fqdn(record["Name"]) == _fqdn(zone_name)


def _fqdn(name: str) -> str:
    return name.lower().rstrip(".") + "."


def _batches(changes: Sequence[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Changes grouped so that no request exceeds AWS's records or characters per request."""
    batch: list[dict[str, Any]] = []
    records = characters = 0
    for change in changes:
        values = [r["Value"] for r in change["ResourceRecordSet"].get("ResourceRecords", [])]
        count, size = max(len(values), 1), sum(len(v) for v in values)
        if batch and (records + count > MAX_RECORDS or characters + size > MAX_CHARACTERS):
            yield batch
            batch, records, characters = [], 0, 0
        batch.append(change)
        records, characters = records + count, characters + size
    if batch:
        yield batch
