import math
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.metrics import MetricQuery, latest_values
from costzero.infrastructure.aws.handlers.s3_bucket import S3BucketHandler
from tests.integration.stubs import StubbedClients

US, EU, ASIA = "us-east-1", "eu-west-1", "ap-southeast-2"


class Clients:
    """One stubbed client per service."""

    def __init__(self, *services):
        self.stubs = {service: StubbedClients(service) for service in services}

    def client(self, account, region, service):
        return self.stubs[service].stubbed


def bucket_in(seed, name, region):
    s3 = seed("s3", region)
    config = {} if region == US else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=name, **config)
    return s3


def test_buckets_are_listed_once_filtered_by_region_and_tagged(aws, account, seed):
    bucket_in(seed, "plain-us", US)
    bucket_in(seed, "tagged-eu", EU).put_bucket_tagging(
        Bucket="tagged-eu", Tagging={"TagSet": [{"Key": "keep", "Value": "true"}]}
    )
    bucket_in(seed, "elsewhere", ASIA)
    found = {r.id: r for r in S3BucketHandler(aws).discover(Location(account, "global"), [US, EU])}
    assert set(found) == {"plain-us", "tagged-eu"}
    assert found["tagged-eu"].region == EU and found["tagged-eu"].tags == {"keep": "true"}
    assert found["plain-us"].tags == {}


def test_versioned_bucket_is_emptied_in_chunks_of_1000_then_deleted(aws, account, seed):
    s3 = bucket_in(seed, "versions-eu", EU)
    s3.put_bucket_versioning(Bucket="versions-eu", VersioningConfiguration={"Status": "Enabled"})
    with ThreadPoolExecutor(8) as pool:  # seeding 1,130 versions one request each: a few at a time
        list(pool.map(lambda i: s3.put_object(Bucket="versions-eu", Key=f"k/{i}", Body=b"x"), range(1100)))
    for i in range(30):
        s3.put_object(Bucket="versions-eu", Key=f"k/{i}", Body=b"y")  # second versions
    s3.delete_object(Bucket="versions-eu", Key="k/1")  # a delete marker
    s3.create_multipart_upload(Bucket="versions-eu", Key="half-done")
    bucket_in(seed, "plain-us", US).put_object(Bucket="plain-us", Key="a", Body=b"a")
    location = Location(account, "global")
    handler = S3BucketHandler(aws)
    found = handler.discover(location, [US, EU])
    assert {o.kind for o in handler.delete(location, found)} == {OutcomeKind.DONE}
    versions = 1100 + 30 + 1
    assert aws.counter.calls[("s3", "DeleteObjects")] == math.ceil(versions / 1000) + 1  # + plain-us
    assert aws.counter.calls[("s3", "AbortMultipartUpload")] == 1
    assert seed("s3").list_buckets()["Buckets"] == []
    assert handler.delete(location, found)[0].kind is OutcomeKind.GONE


def test_objects_that_cannot_be_deleted_are_reported():
    stub = StubbedClients("s3")
    stub.reply(
        "list_object_versions", {"Versions": [{"Key": "locked", "VersionId": "v1"}], "IsTruncated": False}
    )
    stub.reply(
        "delete_objects", {"Errors": [{"Key": "locked", "Code": "AccessDenied", "Message": "legal hold"}]}
    )
    bucket = Resource("s3:bucket", "b", "1", US)
    [result] = S3BucketHandler(stub).delete(Location("1", "global"), [bucket])
    assert result.kind is OutcomeKind.DENIED and "locked" in result.message


def test_unreadable_tags_are_none_so_filters_keep_the_bucket():
    stubs = Clients("s3", "cloudwatch")
    stub = stubs.stubs["s3"]
    stub.reply("list_buckets", {"Buckets": [{"Name": "secret"}]})
    stub.reply("get_bucket_location", {})
    stub.error("get_bucket_tagging", "AccessDenied")
    stubs.stubs["cloudwatch"].reply("list_metrics", {"Metrics": []})
    [found] = S3BucketHandler(stubs).discover(Location("1", "global"), [US])
    assert found.tags is None and found.region == US


def bucket_size(seed, region, bucket, storage_type, gib, days_ago=1):
    """What AWS publishes once a day for every bucket; moto publishes no S3 metrics, so the tests
    put the datapoints on the moto server themselves."""
    seed("cloudwatch", region).put_metric_data(
        Namespace="AWS/S3",
        MetricData=[
            {
                "MetricName": "BucketSizeBytes",
                "Dimensions": [
                    {"Name": "BucketName", "Value": bucket},
                    {"Name": "StorageType", "Value": storage_type},
                ],
                "Timestamp": datetime.now(UTC) - timedelta(days=days_ago),
                "Value": gib * 2**30,
                "Unit": "Bytes",
            }
        ],
    )


def test_bucket_sizes_per_storage_class_are_read_from_cloudwatch_in_the_buckets_region(aws, account, seed):
    bucket_in(seed, "sized-us", US)
    bucket_in(seed, "sized-eu", EU)
    bucket_in(seed, "unsized-us", US)
    bucket_size(seed, US, "sized-us", "StandardStorage", 5, days_ago=2)
    bucket_size(seed, US, "sized-us", "StandardStorage", 6)  # the newest datapoint wins
    bucket_size(seed, US, "sized-us", "GlacierStorage", 1)
    bucket_size(seed, EU, "sized-eu", "StandardIAStorage", 3)
    bucket_size(seed, US, "sized-eu", "StandardStorage", 99)  # another region's series: not this bucket's
    found = {r.id: r for r in S3BucketHandler(aws).discover(Location(account, "global"), [US, EU])}
    assert found["sized-us"].attributes["storage_bytes"] == {
        "StandardStorage": 6 * 2**30,
        "GlacierStorage": 2**30,
    }
    assert found["sized-eu"].attributes["storage_bytes"] == {"StandardIAStorage": 3 * 2**30}
    assert found["unsized-us"].attributes["storage_bytes"] is None  # no datapoint: unknown
    assert aws.counter.calls[("cloudwatch", "GetMetricData")] == 2  # one per region, not per bucket


def test_unreadable_cloudwatch_leaves_bucket_sizes_unknown_and_discovery_whole():
    stubs = Clients("s3", "cloudwatch")
    stubs.stubs["s3"].reply("list_buckets", {"Buckets": [{"Name": "quiet"}]})
    stubs.stubs["s3"].reply("get_bucket_location", {})
    stubs.stubs["s3"].reply("get_bucket_tagging", {"TagSet": []})
    stubs.stubs["cloudwatch"].error("list_metrics", "AccessDenied")
    [found] = S3BucketHandler(stubs).discover(Location("1", "global"), [US])
    assert found.attributes["storage_bytes"] is None


def test_get_metric_data_takes_500_queries_per_call_and_keeps_the_newest_point():
    # Stubber: the batching of many buckets' series is AWS's limit, not something moto enforces.
    stub = StubbedClients("cloudwatch")
    queries = [MetricQuery(n, "AWS/S3", "BucketSizeBytes", (("BucketName", f"b{n}"),)) for n in range(501)]
    now = datetime(2026, 12, 3, tzinfo=UTC)
    older, newer = now - timedelta(days=2), now - timedelta(days=1)
    stub.reply(
        "get_metric_data",
        {
            "MetricDataResults": [
                {"Id": "q0", "Timestamps": [newer], "Values": [2.0], "StatusCode": "PartialData"},
                {"Id": "q1", "Timestamps": [], "Values": [], "StatusCode": "Complete"},
            ],
            "NextToken": "more",
        },
    )
    stub.reply(
        "get_metric_data",
        {
            "MetricDataResults": [
                {"Id": "q0", "Timestamps": [older], "Values": [1.0], "StatusCode": "Complete"}
            ]
        },
    )
    stub.reply(
        "get_metric_data",
        {
            "MetricDataResults": [
                {"Id": "q0", "Timestamps": [newer], "Values": [7.0], "StatusCode": "Complete"}
            ]
        },
    )
    values = latest_values(stub.stubbed, queries, now)
    assert values == {0: 2.0, 500: 7.0}  # q0 of the second call is query 500
    stub.stubber.assert_no_pending_responses()
