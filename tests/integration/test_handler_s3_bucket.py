import math
from concurrent.futures import ThreadPoolExecutor

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.s3_bucket import S3BucketHandler
from tests.integration.stubs import StubbedClients

US, EU, ASIA = "us-east-1", "eu-west-1", "ap-southeast-2"


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
    stub = StubbedClients("s3")
    stub.reply("list_buckets", {"Buckets": [{"Name": "secret"}]})
    stub.reply("get_bucket_location", {})
    stub.error("get_bucket_tagging", "AccessDenied")
    [found] = S3BucketHandler(stub).discover(Location("1", "global"), [US])
    assert found.tags is None and found.region == US
