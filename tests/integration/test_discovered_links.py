"""Discovery records the real links between resources (the resource-level `requires`), over HTTP."""

from __future__ import annotations

from costzero.domain.resources import Link
from costzero.infrastructure.aws.handlers.ec2_elastic_ip import Ec2ElasticIpHandler
from costzero.infrastructure.aws.handlers.ec2_instance import Ec2InstanceHandler
from costzero.infrastructure.aws.handlers.ec2_snapshot import Ec2SnapshotHandler
from costzero.infrastructure.aws.handlers.ec2_volume import Ec2VolumeHandler
from costzero.infrastructure.aws.handlers.elasticbeanstalk_application import (
    ElasticBeanstalkApplicationHandler,
)


def _instance(ec2, **extra):
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    return ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, **extra)["Instances"][0]


def test_volumes_snapshots_and_addresses_link_to_what_holds_them(aws, location, seed):
    ec2 = seed("ec2")
    instance = _instance(ec2)
    iid = instance["InstanceId"]
    extra = ec2.create_volume(Size=2, AvailabilityZone=instance["Placement"]["AvailabilityZone"])["VolumeId"]
    ec2.attach_volume(VolumeId=extra, InstanceId=iid, Device="/dev/sdf")
    loose = ec2.create_volume(Size=2, AvailabilityZone="us-east-1a")["VolumeId"]
    image = ec2.create_image(InstanceId=iid, Name="golden")["ImageId"]
    plain = ec2.create_snapshot(VolumeId=loose)["SnapshotId"]
    associated = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=associated, InstanceId=iid)
    free = ec2.allocate_address(Domain="vpc")["AllocationId"]

    volumes = {r.id: r.links for r in Ec2VolumeHandler(aws).discover(location, [])}
    assert volumes[extra] == (Link("ec2:instance", iid, "attached to"),)
    assert volumes[loose] == ()
    assert sum(1 for links in volumes.values() if links) == 2  # the root volume too

    snapshots = {r.id: r.links for r in Ec2SnapshotHandler(aws).discover(location, [])}
    assert snapshots[plain] == ()
    backing = [s for s, links in snapshots.items() if links]
    assert backing and all(snapshots[s] == (Link("ec2:image", image, "backing"),) for s in backing)

    addresses = {r.id: r.links for r in Ec2ElasticIpHandler(aws).discover(location, [])}
    assert addresses == {associated: (Link("ec2:instance", iid, "associated with"),), free: ()}


def test_instances_link_to_the_group_or_environment_that_launched_them(aws, location, seed):
    ec2 = seed("ec2")
    tags = [{"Key": "aws:autoscaling:groupName", "Value": "web"}, {"Key": "Name", "Value": "member"}]
    member = _instance(ec2, TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])["InstanceId"]
    alone = _instance(ec2)["InstanceId"]
    links = {r.id: r.links for r in Ec2InstanceHandler(aws).discover(location, [])}
    assert links[member] == (Link("autoscaling:group", "web", "belongs to"),)  # MEMBER_RELATION
    assert links[alone] == ()


def test_an_application_links_to_its_environments(aws, location, seed):
    eb = seed("elasticbeanstalk")
    for name in ("shop", "blog"):
        eb.create_application(ApplicationName=name)
    eb.create_environment(
        ApplicationName="shop", EnvironmentName="shop-prod", SolutionStackName="64bit Amazon Linux 2023"
    )
    found = {r.id: r.links for r in ElasticBeanstalkApplicationHandler(aws).discover(location, [])}
    # moto leaves EnvironmentId empty: the environment's resource id is then its name
    assert found == {
        "shop": (Link("elasticbeanstalk:environment", "shop-prod", "has environment"),),
        "blog": (),
    }
