from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import GLOBAL_REGION, Location, Resource
from costzero.infrastructure.aws.handlers.route53_hosted_zone import Route53HostedZoneHandler, _batches
from tests.integration.stubs import StubbedClients

GLOBAL = "global"


def zone(route53, name, **extra):
    return route53.create_hosted_zone(Name=name, CallerReference=name, **extra)["HostedZone"]["Id"].split(
        "/"
    )[-1]


def upsert(route53, zone_id, records):
    for start in range(0, len(records), 500):  # an UPSERT counts its records twice: 500 a request
        route53.change_resource_record_sets(
            HostedZoneId=zone_id,
            ChangeBatch={
                "Changes": [
                    {"Action": "UPSERT", "ResourceRecordSet": r} for r in records[start : start + 500]
                ]
            },
        )


def a_record(name, ip="10.0.0.1"):
    return {"Name": name, "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": ip}]}


def test_zones_are_listed_with_tags_and_priced_per_zone_month(aws, account, seed):
    route53 = seed("route53")
    public = zone(route53, "example.com.")
    route53.change_tags_for_resource(
        ResourceType="hostedzone", ResourceId=public, AddTags=[{"Key": "team", "Value": "a"}]
    )
    handler = Route53HostedZoneHandler(aws)
    [found] = handler.discover(Location(account, GLOBAL_REGION), ["us-east-1"])
    assert found.id == public and found.name == "example.com." and found.tags == {"team": "a"}
    assert found.region == GLOBAL
    [usage] = handler.usage(found)
    assert (usage.service, usage.usage_type, usage.unit, usage.quantity) == (
        "AmazonRoute53",
        "HostedZone",
        "HostedZone",
        1.0,
    )


def test_a_zone_loses_every_record_but_its_soa_and_ns_then_is_deleted_then_gone(aws, account, seed):
    route53 = seed("route53")
    zone_id = zone(route53, "example.com.")
    upsert(
        route53,
        zone_id,
        [a_record(f"host{i}.example.com.") for i in range(1100)]
        + [
            {
                "Name": "sub.example.com.",
                "Type": "NS",
                "TTL": 60,
                "ResourceRecords": [{"Value": "ns1.other.net."}],
            }
        ],
    )
    location = Location(account, GLOBAL_REGION)
    handler = Route53HostedZoneHandler(aws)
    found = handler.discover(location, ["us-east-1"])
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.DONE]
    assert route53.list_hosted_zones()["HostedZones"] == []
    assert aws.counter.calls[("route53", "ChangeResourceRecordSets")] == 2  # 1,101 records: two batches
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]


def test_batches_respect_the_records_and_characters_per_request():
    many = [{"ResourceRecordSet": a_record(f"h{i}.example.com.")} for i in range(2500)]
    assert [len(b) for b in _batches(many)] == [1000, 1000, 500]
    long_values = [
        {"ResourceRecordSet": {"Name": f"t{i}.", "Type": "TXT", "ResourceRecords": [{"Value": "x" * 3000}]}}
        for i in range(25)
    ]
    assert [len(b) for b in _batches(long_values)] == [10, 10, 5]  # 32,000 characters each at most
    alias = [{"ResourceRecordSet": {"Name": "a.", "Type": "A", "AliasTarget": {}}}]
    assert [len(b) for b in _batches(alias)] == [1]


def test_a_zone_given_a_record_meanwhile_is_not_yet_deleted():
    """Real Route 53 refuses DeleteHostedZone while a record other than the apex SOA/NS remains
    (HostedZoneNotEmpty); moto deletes the zone anyway, so the error is injected."""
    stub = StubbedClients("route53")
    soa = {
        "Name": "example.com.",
        "Type": "SOA",
        "TTL": 900,
        "ResourceRecords": [{"Value": "ns. admin. 1 7200 900 1209600 86400"}],
    }
    stub.reply(
        "list_resource_record_sets", {"ResourceRecordSets": [soa], "IsTruncated": False, "MaxItems": "300"}
    )
    stub.error(
        "delete_hosted_zone",
        "HostedZoneNotEmpty",
        "The specified hosted zone contains non-required resource record sets",
    )
    zone_resource = Resource("route53:hosted-zone", "Z1", "1", GLOBAL, name="example.com.")
    [result] = Route53HostedZoneHandler(stub).delete(Location("1", GLOBAL), [zone_resource])
    assert result.kind is OutcomeKind.NOT_YET


def test_a_record_changed_since_listing_makes_the_zone_wait():
    stub = StubbedClients("route53")
    stub.reply(
        "list_resource_record_sets",
        {"ResourceRecordSets": [a_record("www.example.com.")], "IsTruncated": False, "MaxItems": "300"},
    )
    stub.error(
        "change_resource_record_sets",
        "InvalidChangeBatch",
        "Tried to delete resource record set but it was not found",
    )
    zone_resource = Resource("route53:hosted-zone", "Z1", "1", GLOBAL, name="example.com.")
    [result] = Route53HostedZoneHandler(stub).delete(Location("1", GLOBAL), [zone_resource])
    assert result.kind is OutcomeKind.NOT_YET


def test_zones_managed_by_another_service_are_not_listed():
    """moto sets no LinkedService: the listing is stubbed."""
    stub = StubbedClients("route53")
    stub.reply(
        "list_hosted_zones",
        {
            "HostedZones": [
                {
                    "Id": "/hostedzone/Z1",
                    "Name": "ns.local.",
                    "CallerReference": "x",
                    "LinkedService": {"ServicePrincipal": "servicediscovery.amazonaws.com"},
                }
            ],
            "IsTruncated": False,
            "MaxItems": "100",
            "Marker": "",
        },
    )
    assert Route53HostedZoneHandler(stub).discover(Location("1", GLOBAL), ["us-east-1"]) == []
