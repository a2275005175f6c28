"""The price dimensions of the EC2-family types, read from hand-built resources (no AWS call)."""

from __future__ import annotations

import pytest

from costzero.domain.costing import CostPart, CostSheet, PriceInfo, price_resources
from costzero.domain.pricing import PriceBook
from costzero.domain.resources import Action, Link, Resource
from costzero.infrastructure.aws.handlers.autoscaling_group import AutoScalingGroupHandler
from costzero.infrastructure.aws.handlers.ec2_elastic_ip import Ec2ElasticIpHandler
from costzero.infrastructure.aws.handlers.ec2_image import Ec2ImageHandler
from costzero.infrastructure.aws.handlers.ec2_instance import Ec2InstanceHandler
from costzero.infrastructure.aws.handlers.ec2_key_pair import Ec2KeyPairHandler
from costzero.infrastructure.aws.handlers.ec2_security_group import Ec2SecurityGroupHandler
from costzero.infrastructure.aws.handlers.ec2_snapshot import Ec2SnapshotHandler
from costzero.infrastructure.aws.handlers.ec2_volume import Ec2VolumeHandler
from costzero.infrastructure.aws.handlers.elasticbeanstalk_application import (
    ElasticBeanstalkApplicationHandler,
)
from costzero.infrastructure.aws.handlers.elasticbeanstalk_environment import (
    ElasticBeanstalkEnvironmentHandler,
)
from costzero.infrastructure.pricing.book_file import BUNDLED, read_book


def res(type_key: str, rid: str = "r-1", region: str = "us-east-1", **attributes: object) -> Resource:
    return Resource(type_key, rid, "111122223333", region, attributes=attributes)


def keys(usages) -> list[tuple[str, str, str, float | None]]:
    return [(u.service, u.usage_type, u.unit, u.quantity) for u in usages]


def instance(state: str = "running", **extra: object) -> Resource:
    attributes = {"instance_type": "t3.micro", "state": state, "usage_operation": "RunInstances"}
    return res("ec2:instance", "i-1", **{**attributes, **extra})


INSTANCES = Ec2InstanceHandler(None)  # type: ignore[arg-type]  # usage() never calls AWS
VOLUMES = Ec2VolumeHandler(None)  # type: ignore[arg-type]
SNAPSHOTS = Ec2SnapshotHandler(None)  # type: ignore[arg-type]


# -- ec2:instance -------------------------------------------------------------------------------
def test_a_running_linux_instance_bills_its_box_hours_as_compute():
    [box] = INSTANCES.usage(instance(platform_details="Linux/UNIX", amazon_public_ipv4=0))
    assert keys([box]) == [("AmazonEC2", "BoxUsage:t3.micro", "Hrs", 1.0)]
    assert box.part is CostPart.COMPUTE and not box.monthly and "Linux/UNIX" in box.note


@pytest.mark.parametrize("state", ["stopped", "stopping", "shutting-down"])
def test_a_stopped_instance_bills_no_compute_and_says_so(state):
    [box] = INSTANCES.usage(instance(state, amazon_public_ipv4=0))
    assert box.quantity == 0.0 and box.usage_type == "BoxUsage:t3.micro"
    assert f"{state}: no instance hours billed" in box.note


def test_a_public_ip_from_amazon_bills_under_vpc_and_goes_with_a_stop():
    _, ip = INSTANCES.usage(instance(amazon_public_ipv4=2))
    assert keys([ip]) == [("AmazonVPC", "PublicIPv4:InUseAddress", "Hrs", 2.0)]
    assert ip.part is CostPart.COMPUTE and "2 public IPv4 addresses" in ip.note
    assert len(INSTANCES.usage(instance("stopped", amazon_public_ipv4=2))) == 1


def test_windows_and_other_platforms_are_unknown_not_priced_as_linux():
    windows = instance(usage_operation="RunInstances:0002", platform_details="Windows")
    [box] = INSTANCES.usage(windows)
    assert box.usage_type == "BoxUsage:t3.micro (RunInstances:0002)" and "Windows" in box.note
    [cost] = price_resources([windows], INSTANCES.usage, {}, _book())
    assert cost.unknown == (box,)  # the book's BoxUsage:t3.micro is the Linux price


def test_spot_dedicated_and_dedicated_host_instances():
    [spot] = INSTANCES.usage(instance(lifecycle="spot"))
    assert spot.usage_type == "SpotUsage:t3.micro" and "Spot" in spot.note
    [dedicated] = INSTANCES.usage(instance(tenancy="dedicated"))
    assert dedicated.usage_type == "DedicatedUsage:t3.micro"
    [hosted] = INSTANCES.usage(instance(tenancy="host"))
    assert hosted.quantity is None and "Dedicated Host" in hosted.note


def test_an_instance_discovered_before_these_attributes_is_read_as_linux_on_demand():
    [box] = INSTANCES.usage(res("ec2:instance", "i-old", instance_type="m5.large", state="running"))
    assert box.usage_type == "BoxUsage:m5.large" and box.quantity == 1.0


# -- ec2:volume ---------------------------------------------------------------------------------
def volume(volume_type: str, size: int = 100, **extra: object) -> Resource:
    return res("ec2:volume", "vol-1", volume_type=volume_type, size_gib=size, **extra)


@pytest.mark.parametrize(
    ("volume_type", "usage_type", "unit"),
    [
        ("gp2", "EBS:VolumeUsage.gp2", "GB-Mo"),
        ("st1", "EBS:VolumeUsage.st1", "GB-Mo"),
        ("sc1", "EBS:VolumeUsage.sc1", "GB-Mo"),
        ("standard", "EBS:VolumeUsage", "GB-Mo"),
        ("gp9", "EBS:VolumeUsage.gp9", "GB-Mo"),  # a type this code does not know: unknown in the book
    ],
)
def test_a_volume_bills_its_size_monthly_as_storage(volume_type, usage_type, unit):
    [storage] = VOLUMES.usage(volume(volume_type, iops=300))
    assert keys([storage]) == [("AmazonEC2", usage_type, unit, 100.0)]
    assert storage.part is CostPart.STORAGE and storage.monthly


def test_gp3_bills_iops_above_3000_and_throughput_above_125_mibps_in_gibps():
    storage, iops, throughput = VOLUMES.usage(volume("gp3", iops=6000, throughput_mibps=637))
    assert keys([storage, iops, throughput]) == [
        ("AmazonEC2", "EBS:VolumeUsage.gp3", "GB-Mo", 100.0),
        ("AmazonEC2", "EBS:VolumeP-IOPS.gp3", "IOPS-Mo", 3000.0),
        ("AmazonEC2", "EBS:VolumeP-Throughput.gp3", "GiBps-mo", 0.5),  # 512 MiB/s
    ]
    assert all(u.part is CostPart.STORAGE and u.monthly for u in (storage, iops, throughput))


def test_gp3_at_its_baseline_bills_storage_only_and_unread_performance_is_unknown():
    assert len(VOLUMES.usage(volume("gp3", iops=3000, throughput_mibps=125))) == 1
    _, iops, throughput = VOLUMES.usage(volume("gp3"))
    assert iops.quantity is None and throughput.quantity is None


def test_io1_bills_its_provisioned_iops():
    storage, iops = VOLUMES.usage(volume("io1", iops=4000))
    assert keys([storage, iops]) == [
        ("AmazonEC2", "EBS:VolumeUsage.piops", "GB-Mo", 100.0),
        ("AmazonEC2", "EBS:VolumeP-IOPS.piops", "IOPS-Mo", 4000.0),
    ]


def test_io2_iops_are_tiered_and_its_storage_unit_is_gb_month():
    storage, *iops = VOLUMES.usage(volume("io2", iops=70000))
    assert (storage.usage_type, storage.unit) == ("EBS:VolumeUsage.io2", "GB-month")
    assert [(u.usage_type, u.quantity) for u in iops] == [
        ("EBS:VolumeP-IOPS.io2", 32000.0),
        ("EBS:VolumeP-IOPS.io2.tier2", 32000.0),
        ("EBS:VolumeP-IOPS.io2.tier3", 6000.0),
    ]
    assert [u.quantity for u in VOLUMES.usage(volume("io2", iops=1000))[1:]] == [1000.0]


def test_a_volume_whose_size_was_not_read_is_unknown():
    [storage] = VOLUMES.usage(res("ec2:volume", "vol-1", volume_type="gp2"))
    assert storage.quantity is None


# -- ec2:snapshot -------------------------------------------------------------------------------
def test_a_snapshot_bills_at_most_its_volume_size():
    [standard] = SNAPSHOTS.usage(res("ec2:snapshot", volume_size_gib=20, storage_tier="standard"))
    assert keys([standard]) == [("AmazonEC2", "EBS:SnapshotUsage", "GB-Mo", 20.0)]
    assert standard.part is CostPart.STORAGE and standard.monthly and "incremental" in standard.note
    [archived] = SNAPSHOTS.usage(res("ec2:snapshot", volume_size_gib=20, storage_tier="archive"))
    assert keys([archived]) == [("AmazonEC2", "EBS:SnapshotArchiveStorage", "GB-Mo", 20.0)]


# -- ec2:elastic-ip -----------------------------------------------------------------------------
ADDRESSES = Ec2ElasticIpHandler(None)  # type: ignore[arg-type]


def test_an_idle_address_and_an_associated_one_both_bill_as_storage():
    [idle] = ADDRESSES.usage(res("ec2:elastic-ip", association_id=None, public_ipv4_pool="amazon"))
    [used] = ADDRESSES.usage(res("ec2:elastic-ip", association_id="eipassoc-1"))
    assert keys([idle, used]) == [
        ("AmazonVPC", "PublicIPv4:IdleAddress", "Hrs", 1.0),
        ("AmazonVPC", "PublicIPv4:InUseAddress", "Hrs", 1.0),
    ]
    assert idle.part is used.part is CostPart.STORAGE  # a stop does not release it


def test_a_byoip_address_has_no_ipv4_charge():
    [byoip] = ADDRESSES.usage(res("ec2:elastic-ip", association_id=None, public_ipv4_pool="ipv4pool-ec2-1"))
    assert byoip.quantity == 0.0 and "BYOIP" in byoip.note


# -- types with no charge of their own ------------------------------------------------------------
@pytest.mark.parametrize(
    ("handler", "type_key", "reason"),
    [
        (Ec2ImageHandler, "ec2:image", "ec2:snapshot"),
        (Ec2SecurityGroupHandler, "ec2:security-group", "no charge"),
        (Ec2KeyPairHandler, "ec2:key-pair", "no charge"),
        (AutoScalingGroupHandler, "autoscaling:group", "belongs to"),
        (ElasticBeanstalkEnvironmentHandler, "elasticbeanstalk:environment", "belongs to"),
        (ElasticBeanstalkApplicationHandler, "elasticbeanstalk:application", "no charge"),
    ],
)
def test_free_types_say_why_and_declare_no_usage(handler, type_key, reason):
    assert reason in (handler.free_because or "")
    assert handler(None).usage(res(type_key)) == ()  # type: ignore[arg-type]


# -- with the shipped price book ------------------------------------------------------------------
def _book() -> PriceBook:
    return read_book(BUNDLED)


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_the_demo_estate_is_priced_in_both_demo_regions(region):
    """What `costzero demo` seeds (t3.micro instances with a public IP, gp2 volumes of 8 and 20 GiB,
    their snapshots, Elastic IPs) has a price in the bundled book: nothing unknown."""
    estate = [
        res("ec2:instance", "i-1", region, instance_type="t3.micro", state="running", amazon_public_ipv4=1),
        res("ec2:volume", "vol-1", region, volume_type="gp2", size_gib=8),
        res("ec2:volume", "vol-2", region, volume_type="gp3", size_gib=20, iops=3000, throughput_mibps=125),
        res("ec2:snapshot", "snap-1", region, volume_size_gib=20, storage_tier="standard"),
        res("ec2:elastic-ip", "eipalloc-1", region, association_id=None),
        res("ec2:elastic-ip", "eipalloc-2", region, association_id="eipassoc-1"),
    ]
    usage_of = {
        "ec2:instance": INSTANCES.usage,
        "ec2:volume": VOLUMES.usage,
        "ec2:snapshot": SNAPSHOTS.usage,
        "ec2:elastic-ip": ADDRESSES.usage,
    }
    costs = price_resources(estate, lambda r: usage_of[r.type_key](r), {}, _book())
    assert [c.unknown for c in costs] == [()] * len(estate)
    assert all(c.hourly > 0 for c in costs)


def test_stopping_a_group_saves_its_members_compute_once():
    """The instances of an Auto Scaling group link to it with the membership relation, so a stop of
    the group counts their compute (and not their storage)."""
    group = Resource("autoscaling:group", "web", "111122223333", "us-east-1")
    member = Resource(
        "ec2:instance",
        "i-1",
        "111122223333",
        "us-east-1",
        attributes={"instance_type": "t3.micro", "state": "running", "amazon_public_ipv4": 1},
        links=(Link("autoscaling:group", "web", "belongs to"),),
    )
    usage_of = {"ec2:instance": INSTANCES.usage}
    costs = price_resources([group, member], lambda r: usage_of.get(r.type_key, lambda _: ())(r), {}, _book())
    sheet = CostSheet(costs, PriceInfo("test", None))
    saved = sheet.savings(Action.STOP, [group.ref]).saved
    assert saved.resources == 2 and saved.compute == pytest.approx(0.0104 + 0.005)


def test_a_stopped_instance_of_a_type_the_book_lacks_is_known_to_cost_nothing():
    stopped = res(
        "ec2:instance", "i-1", instance_type="x9.huge", state="stopped", usage_operation="RunInstances:0002"
    )
    [cost] = price_resources([stopped], INSTANCES.usage, {}, _book())
    assert cost.known and cost.hourly == 0.0
