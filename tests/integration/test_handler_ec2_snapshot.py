from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_snapshot import Ec2SnapshotHandler
from tests.integration.stubs import StubbedClients


def test_snapshots_are_discovered_and_deleted(aws, location, seed):
    ec2 = seed("ec2")
    volume = ec2.create_volume(Size=4, AvailabilityZone="us-east-1a")["VolumeId"]
    snapshot = ec2.create_snapshot(
        VolumeId=volume,
        TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "keep", "Value": "no"}]}],
    )["SnapshotId"]
    handler = Ec2SnapshotHandler(aws)
    found = handler.discover(location, [])  # only our own: none of moto's public-AMI snapshots
    assert (
        [r.id for r in found] == [snapshot]
        and found[0].tags == {"keep": "no"}
        and found[0].attributes["volume_size_gib"] == 4
    )
    assert handler.delete(location, found)[0].kind is OutcomeKind.DONE
    assert handler.delete(location, found)[0].kind is OutcomeKind.GONE


def test_a_snapshot_backing_an_image_waits_for_the_image(aws, location, seed):
    ec2 = seed("ec2")
    public = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=public, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    image = ec2.create_image(InstanceId=instance, Name="golden")["ImageId"]
    backing = ec2.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"][0]["Ebs"][
        "SnapshotId"
    ]
    handler = Ec2SnapshotHandler(aws)
    [found] = [r for r in handler.discover(location, []) if r.id == backing]
    assert handler.delete(location, [found])[0].kind is OutcomeKind.NOT_YET
    ec2.deregister_image(ImageId=image)
    assert handler.delete(location, [found])[0].kind is OutcomeKind.DONE


def test_permission_denied_names_the_missing_action():
    stub = StubbedClients("ec2")
    stub.error("delete_snapshot", "UnauthorizedOperation", "You are not authorized")
    [result] = Ec2SnapshotHandler(stub).delete(
        Location("1", "r"), [Resource("ec2:snapshot", "snap-1", "1", "r")]
    )
    assert result.kind is OutcomeKind.DENIED and "ec2:DeleteSnapshot" in result.message


def test_discovery_records_the_storage_tier(aws, location, seed):
    ec2 = seed("ec2")
    volume = ec2.create_volume(Size=20, AvailabilityZone="us-east-1a")["VolumeId"]
    standard, archived = (ec2.create_snapshot(VolumeId=volume)["SnapshotId"] for _ in range(2))
    ec2.modify_snapshot_tier(SnapshotId=archived, StorageTier="archive")
    handler = Ec2SnapshotHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert found[standard].attributes["storage_tier"] == "standard"
    assert found[archived].attributes["storage_tier"] == "archive"
    assert [u.usage_type for u in handler.usage(found[archived])] == ["EBS:SnapshotArchiveStorage"]
    assert [(u.usage_type, u.quantity) for u in handler.usage(found[standard])] == [
        ("EBS:SnapshotUsage", 20.0)
    ]
