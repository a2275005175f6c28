from costzero.domain.outcomes import OutcomeKind
from costzero.infrastructure.aws.handlers.ec2_image import Ec2ImageHandler


def test_own_images_are_discovered_with_their_snapshots_and_deregistered(aws, location, seed):
    ec2 = seed("ec2")
    public = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=public, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    image = ec2.create_image(InstanceId=instance, Name="golden")["ImageId"]
    handler = Ec2ImageHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == image and found.name == "golden"
    assert found.attributes["snapshot_ids"]  # the snapshots are ec2:snapshot's to delete
    assert handler.delete(location, [found])[0].kind is OutcomeKind.DONE
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE
