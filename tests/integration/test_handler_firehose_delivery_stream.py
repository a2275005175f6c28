"""Firehose delivery streams against the moto server; a stream AWS refuses while CREATING is
injected with botocore's Stubber (moto creates and deletes at once)."""

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.firehose_delivery_stream import (
    FirehoseDeliveryStreamHandler,
    _names,
)
from tests.integration.stubs import StubbedClients

ROLE = "arn:aws:iam::123456789012:role/firehose"


def create_delivery_stream(seed, name="to-lake", tags=()):
    seed("s3").create_bucket(Bucket="lake")
    seed("firehose").create_delivery_stream(
        DeliveryStreamName=name,
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": "arn:aws:s3:::lake"},
        **({"Tags": list(tags)} if tags else {}),
    )


def test_discovers_and_deletes_delivery_streams(aws, location, seed):
    create_delivery_stream(seed, tags=[{"Key": "team", "Value": "data"}])
    handler = FirehoseDeliveryStreamHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == "to-lake" and found.tags == {"team": "data"}
    assert handler.usage(found) == () and handler.free_because
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE  # a second delete: gone


def test_lists_every_page_of_names():
    stub = StubbedClients("firehose")
    stub.reply("list_delivery_streams", {"DeliveryStreamNames": ["a", "b"], "HasMoreDeliveryStreams": True})
    stub.reply(
        "list_delivery_streams",
        {"DeliveryStreamNames": ["c"], "HasMoreDeliveryStreams": False},
        {"Limit": 100, "ExclusiveStartDeliveryStreamName": "b"},
    )
    assert _names(stub.stubbed) == ["a", "b", "c"]


def test_a_stream_still_creating_is_not_yet():
    stub = StubbedClients("firehose")
    stub.error("delete_delivery_stream", "ResourceInUseException", "stream is CREATING")
    [result] = FirehoseDeliveryStreamHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("firehose:delivery-stream", "s", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET


def test_a_stream_still_deleting_is_pending():
    stub = StubbedClients("firehose")
    description = {
        "DeliveryStreamName": "s",
        "DeliveryStreamARN": "arn:aws:firehose:us-east-1:111122223333:deliverystream/s",
        "DeliveryStreamStatus": "DELETING",
        "DeliveryStreamType": "DirectPut",
        "VersionId": "1",
        "Destinations": [],
        "HasMoreDestinations": False,
    }
    stub.reply("describe_delivery_stream", {"DeliveryStreamDescription": description})
    [result] = FirehoseDeliveryStreamHandler(stub).confirm_gone(
        Location("1", "us-east-1"), [Resource("firehose:delivery-stream", "s", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.PENDING and result.message == "DELETING"
