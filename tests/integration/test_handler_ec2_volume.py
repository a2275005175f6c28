from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.ec2_volume import Ec2VolumeHandler
from tests.integration.stubs import StubbedClients


def test_discovers_deletes_and_confirms_volumes(aws, location, seed):
    ec2 = seed("ec2")
    tags = [{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "data"}]}]
    ids = [
        ec2.create_volume(Size=s, AvailabilityZone="us-east-1a", TagSpecifications=tags)["VolumeId"]
        for s in (8, 16)
    ]
    handler = Ec2VolumeHandler(aws)
    found = handler.discover(location, [])
    assert {r.id for r in found} == set(ids)
    assert {r.attributes["size_gib"] for r in found} == {8, 16} and found[0].name == "data"
    assert {o.kind for o in handler.delete(location, found)} == {OutcomeKind.PENDING}
    assert {o.kind for o in handler.confirm_gone(location, found)} == {OutcomeKind.DONE}
    assert ec2.describe_volumes()["Volumes"] == []


def test_an_attached_volume_is_not_yet():
    # moto deletes attached volumes without complaint; real AWS answers VolumeInUse.
    stub = StubbedClients("ec2")
    stub.error("delete_volume", "VolumeInUse", "vol-1 is currently attached to i-1")
    [result] = Ec2VolumeHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("ec2:volume", "vol-1", "1", "r")]
    )
    assert result.kind is OutcomeKind.NOT_YET and "attached" in result.message


def test_a_vanished_volume_is_gone(aws, location, seed):
    ec2 = seed("ec2")
    volume = ec2.create_volume(Size=1, AvailabilityZone="us-east-1a")["VolumeId"]
    handler = Ec2VolumeHandler(aws)
    [found] = handler.discover(location, [])
    ec2.delete_volume(VolumeId=volume)
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE


def test_a_volume_still_deleting_is_pending():
    stub = StubbedClients("ec2")
    stub.reply("describe_volumes", {"Volumes": [{"VolumeId": "vol-1", "State": "deleting"}]})
    [result] = Ec2VolumeHandler(stub).confirm_gone(
        Location("1", "r"), [Resource("ec2:volume", "vol-1", "1", "r")]
    )
    assert result.kind is OutcomeKind.PENDING


def test_a_volume_deleted_with_its_instance_costs_no_delete_call(aws, location, seed):
    ec2 = seed("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]
    kept_data = ec2.create_volume(Size=1, AvailabilityZone=instance["Placement"]["AvailabilityZone"])
    ec2.attach_volume(VolumeId=kept_data["VolumeId"], InstanceId=instance["InstanceId"], Device="/dev/sdf")
    handler = Ec2VolumeHandler(aws)
    found = handler.discover(location, [])
    assert len(found) == 2 and all(v.links for v in found)  # the root volume and the data volume
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])  # what the ec2:instance task did
    outcomes = {o.resource_id: o for o in handler.delete(location, found)}
    root = next(v.id for v in found if v.id != kept_data["VolumeId"])
    assert outcomes[root].kind is OutcomeKind.GONE and "with its instance" in outcomes[root].message
    assert outcomes[kept_data["VolumeId"]].kind is OutcomeKind.PENDING  # detached, so deleted now
    assert aws.counter.calls[("ec2", "DeleteVolume")] == 1


def test_discovery_records_provisioned_iops_and_throughput(aws, location, seed):
    ec2 = seed("ec2")
    fast = ec2.create_volume(
        Size=100, AvailabilityZone="us-east-1a", VolumeType="gp3", Iops=6000, Throughput=250
    )["VolumeId"]
    tiered = ec2.create_volume(Size=500, AvailabilityZone="us-east-1a", VolumeType="io2", Iops=40000)[
        "VolumeId"
    ]
    handler = Ec2VolumeHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert found[fast].attributes["iops"] == 6000 and found[fast].attributes["throughput_mibps"] == 250
    assert [(u.usage_type, u.quantity) for u in handler.usage(found[fast])] == [
        ("EBS:VolumeUsage.gp3", 100.0),
        ("EBS:VolumeP-IOPS.gp3", 3000.0),
        ("EBS:VolumeP-Throughput.gp3", 125 / 1024),
    ]
    assert [(u.usage_type, u.quantity) for u in handler.usage(found[tiered])] == [
        ("EBS:VolumeUsage.io2", 500.0),
        ("EBS:VolumeP-IOPS.io2", 32000.0),
        ("EBS:VolumeP-IOPS.io2.tier2", 8000.0),
    ]
