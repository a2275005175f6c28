"""Generated account shapes for the destroy tests: a plain description, a strategy, a seeder, a census.

A shape says what an account holds and how its resources are linked, as data (indexes into the
region's own lists), so that hypothesis can shrink a failing account to the smallest one that fails.
`seed_account` creates it with plain boto3 clients; `census` lists what an account holds of every
type a shape draws (ALL_TYPES) with plain boto3 too, independent of costzero's handlers.

The ten original destroy types live in the default VPC (DESTROY_TYPES); the network part (VPCs with
what is in them, and loose regional types: NETWORK_TYPES) is in network_shapes.py.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from tests.integration.network_shapes import (
    EVERY_NETWORK_LINK,
    EVERY_OTHER_NETWORK_LINK,
    NETWORK_TYPES,
    Loose,
    Vpc,
    census_network,
    loose,
    networks,
    seed_network,
)
from tests.integration.network_shapes import client as _client

DESTROY_TYPES = (
    "ec2:instance",
    "ec2:volume",
    "ec2:snapshot",
    "ec2:image",
    "ec2:elastic-ip",
    "ec2:security-group",
    "ec2:key-pair",
    "s3:bucket",
    "elasticbeanstalk:environment",
    "elasticbeanstalk:application",
)
ALL_TYPES = (*DESTROY_TYPES, *NETWORK_TYPES)
REGIONS = ("us-east-1", "eu-west-1")
MAX_PER_TYPE = 3
STACK = "64bit Amazon Linux 2023 v4.0.0 running Python 3.11"
ACCOUNT = "123456789012"  # moto's
# moto answers an unfiltered DescribeImages(Owners=["amazon"]) with thousands of AMIs, ~4 s a call
PUBLIC_IMAGE = [{"Name": "name", "Values": ["amzn2-ami-hvm-2.0.*"]}]


def examples(default: int) -> int:
    """How many shapes a generative test draws: SOAK_EXAMPLES (set by `make soak`) or the default.

    Not a COSTZERO_* name: the settings loader owns that prefix and refuses names it does not know.
    """
    return int(os.environ.get("SOAK_EXAMPLES") or default)


def soaking() -> bool:
    return bool(os.environ.get("SOAK_EXAMPLES"))


@dataclass(frozen=True)
class Instance:
    groups: tuple[int, ...]  # security groups (indexes) it uses; () -> the VPC's default group
    stopped: bool  # stopped before the destroy (its volumes stay attached)


@dataclass(frozen=True)
class Volume:
    instance: int | None  # attached at launch to this instance, or a standalone volume
    delete_on_termination: bool  # only for an attached one


@dataclass(frozen=True)
class Snapshot:
    volume: int | None  # a snapshot of this volume, or of a volume deleted since


@dataclass(frozen=True)
class Image:
    instance: int | None  # CreateImage from this instance, or from one terminated since


@dataclass(frozen=True)
class Address:
    instance: int | None  # associated to this instance, or not associated


@dataclass(frozen=True)
class SecurityGroup:
    ingress_from: tuple[int, ...]  # groups named by its ingress rules (itself included)


@dataclass(frozen=True)
class Environment:
    application: int


@dataclass(frozen=True)
class RegionShape:
    name: str
    instances: tuple[Instance, ...] = ()
    volumes: tuple[Volume, ...] = ()
    snapshots: tuple[Snapshot, ...] = ()
    images: tuple[Image, ...] = ()
    addresses: tuple[Address, ...] = ()
    groups: tuple[SecurityGroup, ...] = ()
    key_pairs: int = 0
    applications: int = 0
    environments: tuple[Environment, ...] = ()
    vpcs: tuple[Vpc, ...] = ()  # non-default VPCs, with what is in them
    loose: Loose = field(default_factory=Loose)  # queues, topics, log groups, tables


@dataclass(frozen=True)
class Bucket:
    region: str
    versioning: str  # "off", "enabled", or "suspended" (after some versions were written)
    keys: int  # objects
    versions: int  # writes per key (versions unless versioning is off)
    delete_markers: int  # keys deleted afterwards (delete markers unless versioning is off)


@dataclass(frozen=True)
class AccountShape:
    regions: tuple[RegionShape, ...]
    buckets: tuple[Bucket, ...] = ()

    @property
    def region_names(self) -> list[str]:
        return [r.name for r in self.regions]


def _count() -> st.SearchStrategy[int]:
    return st.integers(0, MAX_PER_TYPE)


def _maybe_index(size: int) -> st.SearchStrategy[int | None]:
    return st.none() | st.integers(0, size - 1) if size else st.none()


def _indexes(size: int) -> st.SearchStrategy[tuple[int, ...]]:
    if not size:
        return st.just(())
    return st.sets(st.integers(0, size - 1), max_size=2).map(lambda s: tuple(sorted(s)))


@st.composite
def region_shapes(draw: st.DrawFn, name: str) -> RegionShape:
    groups = tuple(SecurityGroup(ingress_from=()) for _ in range(draw(_count())))
    groups = tuple(SecurityGroup(draw(_indexes(len(groups)))) for _ in groups)
    instances = tuple(
        Instance(draw(_indexes(len(groups))), draw(st.booleans())) for _ in range(draw(_count()))
    )
    volumes = tuple(
        Volume(draw(_maybe_index(len(instances))), draw(st.booleans())) for _ in range(draw(_count()))
    )
    applications = draw(_count())
    environments = tuple(
        Environment(draw(st.integers(0, applications - 1)))
        for _ in range(draw(_count()) if applications else 0)
    )
    return RegionShape(
        name=name,
        instances=instances,
        volumes=volumes,
        snapshots=tuple(Snapshot(draw(_maybe_index(len(volumes)))) for _ in range(draw(_count()))),
        images=tuple(Image(draw(_maybe_index(len(instances)))) for _ in range(draw(_count()))),
        addresses=tuple(Address(draw(_maybe_index(len(instances)))) for _ in range(draw(_count()))),
        groups=groups,
        key_pairs=draw(_count()),
        applications=applications,
        environments=environments,
        vpcs=draw(networks()),
        loose=draw(loose()),
    )


@st.composite
def account_shapes(draw: st.DrawFn) -> AccountShape:
    names = draw(st.sampled_from([("us-east-1",), ("eu-west-1",), REGIONS]))
    regions = tuple(draw(region_shapes(name)) for name in names)
    buckets = tuple(
        Bucket(
            region=draw(st.sampled_from(names)),
            versioning=draw(st.sampled_from(["off", "enabled", "suspended"])),
            keys=(keys := draw(st.integers(0, 3))),
            versions=draw(st.integers(1, 3)),
            delete_markers=draw(st.integers(0, keys)),
        )
        for _ in range(draw(_count()))
    )
    return AccountShape(regions, buckets)


# Every kind of link the strategy can draw, in one account: `make test` runs it before the few
# drawn shapes, so that fewer draws lose no case (hypothesis runs an @example first).
EVERY_LINK = AccountShape(
    regions=(
        RegionShape(
            "us-east-1",
            groups=(
                SecurityGroup(()),
                SecurityGroup((0,)),
                SecurityGroup((1, 2)),
            ),  # none, another, itself too
            instances=(Instance((0,), False), Instance((1, 2), True), Instance((), False)),
            volumes=(Volume(0, True), Volume(1, False), Volume(None, False)),
            snapshots=(Snapshot(1), Snapshot(2), Snapshot(None)),
            images=(Image(0), Image(None)),
            addresses=(Address(0), Address(None)),
            key_pairs=1,
            applications=2,
            environments=(Environment(0), Environment(0), Environment(1)),
            vpcs=EVERY_NETWORK_LINK,
            loose=Loose(queues=2, topics=1, log_groups=2, tables=1),
        ),
        RegionShape(
            "eu-west-1",
            groups=(SecurityGroup((0,)),),
            instances=(Instance((0,), True),),
            volumes=(Volume(0, False),),
            snapshots=(Snapshot(0),),
            images=(Image(0),),
            addresses=(Address(0),),
            key_pairs=1,
            applications=1,
            environments=(Environment(0),),
            vpcs=EVERY_OTHER_NETWORK_LINK,
            loose=Loose(queues=1, topics=2, log_groups=1, tables=1),
        ),
    ),
    buckets=(
        Bucket("us-east-1", "off", keys=2, versions=2, delete_markers=1),
        Bucket("eu-west-1", "enabled", keys=3, versions=3, delete_markers=2),
        Bucket("us-east-1", "suspended", keys=2, versions=2, delete_markers=1),
    ),
)


# -- seeding -----------------------------------------------------------------------------------


@dataclass
class Seeded:
    """What the seeder made: ids per type (as costzero's handlers name them), and the links that real
    AWS enforces on deletion, as ("type/id" that must be gone first, "type/id" deleted after it)."""

    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    links: list[tuple[str, str]] = field(default_factory=list)

    def link(self, first: tuple[str, str], then: tuple[str, str]) -> None:
        self.links.append(("/".join(first), "/".join(then)))


def seed_account(shape: AccountShape, endpoint_url: str) -> Seeded:
    """Create the account with plain boto3 clients."""
    seeded = Seeded()
    for region in shape.regions:
        _seed_region(region, endpoint_url, seeded)
    for n, bucket in enumerate(shape.buckets):
        seeded.ids["s3:bucket"].add(_seed_bucket(bucket, f"shape-{bucket.region}-{n}", endpoint_url))
    return seeded


def _seed_region(shape: RegionShape, endpoint_url: str, seeded: Seeded) -> None:
    region = shape.name
    ec2 = _client("ec2", region, endpoint_url)
    image_id = ec2.describe_images(Owners=["amazon"], Filters=PUBLIC_IMAGE)["Images"][0]["ImageId"]
    vpc_id = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    zone = f"{region}a"

    groups = [
        ec2.create_security_group(GroupName=f"shape-{n}", Description="shape", VpcId=vpc_id)["GroupId"]
        for n in range(len(shape.groups))
    ]
    for group, spec in zip(groups, shape.groups, strict=True):
        if spec.ingress_from:
            ec2.authorize_security_group_ingress(
                GroupId=group,
                IpPermissions=[
                    {
                        "IpProtocol": "tcp",
                        "FromPort": 5432,
                        "ToPort": 5432,
                        "UserIdGroupPairs": [{"GroupId": groups[i]} for i in spec.ingress_from],
                    }
                ],
            )
    seeded.ids["ec2:security-group"].update(groups)

    instances: list[str] = []
    volumes: dict[int, str] = {}
    for n, spec in enumerate(shape.instances):
        mine = [(v, volume) for v, volume in enumerate(shape.volumes) if volume.instance == n]
        devices = {f"/dev/sd{'fghij'[k]}": v for k, (v, _) in enumerate(mine)}
        reply = ec2.run_instances(
            ImageId=image_id,
            MinCount=1,
            MaxCount=1,
            InstanceType="t3.micro",
            Placement={"AvailabilityZone": zone},
            **({"SecurityGroupIds": [groups[g] for g in spec.groups]} if spec.groups else {}),
            **({"BlockDeviceMappings": _mappings(devices, [volume for _, volume in mine])} if mine else {}),
        )
        instance = reply["Instances"][0]
        instances.append(instance["InstanceId"])
        for group in spec.groups:  # AWS: DependencyViolation while an instance uses the group
            seeded.link(("ec2:instance", instance["InstanceId"]), ("ec2:security-group", groups[group]))
        for mapping in instance.get("BlockDeviceMappings", []):
            # AWS: VolumeInUse while attached, the root volume (deleted on termination) included
            seeded.link(("ec2:instance", instance["InstanceId"]), ("ec2:volume", mapping["Ebs"]["VolumeId"]))
            if mapping["DeviceName"] in devices:
                volumes[devices[mapping["DeviceName"]]] = mapping["Ebs"]["VolumeId"]
    seeded.ids["ec2:instance"].update(instances)
    for v, volume in enumerate(shape.volumes):
        if volume.instance is None:
            volumes[v] = ec2.create_volume(Size=4, AvailabilityZone=zone)["VolumeId"]

    for snapshot in shape.snapshots:
        if snapshot.volume is None:  # its volume was deleted since
            source = ec2.create_volume(Size=4, AvailabilityZone=zone)["VolumeId"]
            seeded.ids["ec2:snapshot"].add(ec2.create_snapshot(VolumeId=source)["SnapshotId"])
            ec2.delete_volume(VolumeId=source)
        else:
            seeded.ids["ec2:snapshot"].add(
                ec2.create_snapshot(VolumeId=volumes[snapshot.volume])["SnapshotId"]
            )

    for n, image in enumerate(shape.images):
        if image.instance is None:  # its instance was terminated since
            source = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
            created = ec2.create_image(InstanceId=source, Name=f"shape-{region}-{n}")["ImageId"]
            ec2.terminate_instances(InstanceIds=[source])
        else:
            created = ec2.create_image(InstanceId=instances[image.instance], Name=f"shape-{region}-{n}")[
                "ImageId"
            ]
        seeded.ids["ec2:image"].add(created)
        described = ec2.describe_images(ImageIds=[created])["Images"][0]
        for mapping in described.get("BlockDeviceMappings", []):
            if "Ebs" in mapping:  # AWS: InvalidSnapshot.InUse while the AMI is registered
                seeded.ids["ec2:snapshot"].add(mapping["Ebs"]["SnapshotId"])
                seeded.link(("ec2:image", created), ("ec2:snapshot", mapping["Ebs"]["SnapshotId"]))

    stopped = [i for i, spec in zip(instances, shape.instances, strict=True) if spec.stopped]
    if stopped:
        ec2.stop_instances(InstanceIds=stopped)

    for address in shape.addresses:
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        if address.instance is not None:
            ec2.associate_address(AllocationId=allocation, InstanceId=instances[address.instance])
        seeded.ids["ec2:elastic-ip"].add(allocation)

    for n in range(shape.key_pairs):
        seeded.ids["ec2:key-pair"].add(ec2.create_key_pair(KeyName=f"shape-{region}-{n}")["KeyPairId"])

    seed_network(region, shape.vpcs, shape.loose, endpoint_url, seeded)

    # every instance also has a root volume, as on AWS: the region's volumes are what it holds now
    seeded.ids["ec2:volume"].update(v["VolumeId"] for v in ec2.describe_volumes()["Volumes"])

    beanstalk = _client("elasticbeanstalk", region, endpoint_url)
    applications = [f"shape-{region}-app-{n}" for n in range(shape.applications)]
    for application in applications:
        beanstalk.create_application(ApplicationName=application)
    seeded.ids["elasticbeanstalk:application"].update(applications)
    for n, environment in enumerate(shape.environments):
        name = f"shape-{n}-{region[:2]}"
        beanstalk.create_environment(
            ApplicationName=applications[environment.application],
            EnvironmentName=name,
            SolutionStackName=STACK,
        )
        seeded.ids["elasticbeanstalk:environment"].add(name)
        # AWS: DeleteApplication refuses while the application has running environments
        seeded.link(
            ("elasticbeanstalk:environment", name),
            ("elasticbeanstalk:application", applications[environment.application]),
        )


def _mappings(devices: dict[str, int], volumes: list[Volume]) -> list[dict[str, Any]]:
    """The root volume (deleted on termination, as an AMI's root usually is) plus the extra ones."""
    root = {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "DeleteOnTermination": True}}
    extra = [
        {"DeviceName": device, "Ebs": {"VolumeSize": 4, "DeleteOnTermination": volume.delete_on_termination}}
        for device, volume in zip(devices, volumes, strict=True)
    ]
    return [root, *extra]


def _seed_bucket(bucket: Bucket, name: str, endpoint_url: str) -> str:
    s3 = _client("s3", bucket.region, endpoint_url)
    if bucket.region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": bucket.region})
    if bucket.versioning != "off":
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    for key in range(bucket.keys):
        for version in range(bucket.versions):
            s3.put_object(Bucket=name, Key=f"data/{key}.csv", Body=f"v{version}".encode())
    if bucket.versioning == "suspended":  # older versions stay; new writes are "null" versions
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Suspended"})
        for key in range(bucket.keys):
            s3.put_object(Bucket=name, Key=f"data/{key}.csv", Body=b"null version")
    for key in range(bucket.delete_markers):
        s3.delete_object(Bucket=name, Key=f"data/{key}.csv")
    return name


# -- census ------------------------------------------------------------------------------------


def census(endpoint_url: str, regions: list[str]) -> dict[str, set[str]]:
    """What the account holds of ALL_TYPES in `regions`, ids as costzero's handlers name them.

    Leaves out what moto (like AWS) gives every account: the default VPC with its subnets and
    every VPC's default parts (security group, main route table, ACL), public AMIs and the snapshots
    behind them. Buckets count when their region is in `regions`.
    """
    held: dict[str, set[str]] = {key: set() for key in ALL_TYPES}
    for region in regions:
        for key, ids in census_network(endpoint_url, region).items():
            held[key] |= ids
        ec2 = _client("ec2", region, endpoint_url)
        eb = _client("elasticbeanstalk", region, endpoint_url)
        held["ec2:instance"] |= {
            i["InstanceId"]
            for r in ec2.describe_instances()["Reservations"]
            for i in r["Instances"]
            if i["State"]["Name"] != "terminated"
        }
        held["ec2:volume"] |= {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]}
        held["ec2:snapshot"] |= {
            s["SnapshotId"]  # moto ignores OwnerIds: filter on the owner
            for s in ec2.describe_snapshots(Filters=[{"Name": "owner-id", "Values": [ACCOUNT]}])["Snapshots"]
        }
        held["ec2:image"] |= {i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]}
        held["ec2:elastic-ip"] |= {a["AllocationId"] for a in ec2.describe_addresses()["Addresses"]}
        held["ec2:security-group"] |= {
            g["GroupId"]
            for g in ec2.describe_security_groups()["SecurityGroups"]
            if g["GroupName"] != "default"
        }
        held["ec2:key-pair"] |= {k["KeyPairId"] for k in ec2.describe_key_pairs()["KeyPairs"]}
        held["elasticbeanstalk:environment"] |= {
            e["EnvironmentName"]
            for e in eb.describe_environments()["Environments"]
            if e["Status"] != "Terminated"
        }
        held["elasticbeanstalk:application"] |= {
            a["ApplicationName"] for a in eb.describe_applications()["Applications"]
        }
    s3 = _client("s3", "us-east-1", endpoint_url)
    for bucket in s3.list_buckets()["Buckets"]:
        constraint = s3.get_bucket_location(Bucket=bucket["Name"]).get("LocationConstraint")
        if (constraint or "us-east-1") in regions:
            held["s3:bucket"].add(bucket["Name"])
    return held
