from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location, Resource
from costzero.infrastructure.aws.handlers.efs_file_system import EfsFileSystemHandler
from tests.integration.efs_fixtures import seed_access_point, seed_file_system, seed_mount_target
from tests.integration.stubs import StubbedClients


def test_discovery_links_each_file_system_to_its_mount_targets_and_access_points(aws, location, seed):
    fs = seed_file_system(seed, "data", [{"Key": "Name", "Value": "shared"}])
    bare = seed_file_system(seed, "bare")
    target = seed_mount_target(seed, fs)
    point = seed_access_point(seed, fs)
    found = {r.id: r for r in EfsFileSystemHandler(aws).discover(location, [])}
    assert set(found[fs].links) == {
        Link("efs:mount-target", target, "mounted by"),
        Link("efs:access-point", point, "reached by"),
    }
    assert found[fs].name == "shared" and found[bare].links == ()


def test_deletes_and_confirms_file_systems(aws, location, seed):
    seed_file_system(seed, "data")
    handler = EfsFileSystemHandler(aws)
    found = handler.discover(location, [])
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, found)] == [OutcomeKind.DONE]
    assert seed("efs").describe_file_systems()["FileSystems"] == []
    assert [o.kind for o in handler.delete(location, found)] == [OutcomeKind.GONE]  # idempotent


def test_a_file_system_with_mount_targets_is_not_yet(aws, location, seed):
    fs = seed_file_system(seed, "data")
    seed_mount_target(seed, fs)
    handler = EfsFileSystemHandler(aws)
    [found] = handler.discover(location, [])
    [result] = handler.delete(location, [found])
    assert result.kind is OutcomeKind.NOT_YET  # FileSystemInUse (moto reproduces this one)


def test_a_destroy_removes_mount_targets_and_access_points_before_the_file_system(park_sdk, seed):
    fs = seed_file_system(seed, "data")
    seed_mount_target(seed, fs)
    seed_access_point(seed, fs)
    types = ["efs:file-system", "efs:mount-target", "efs:access-point"]
    plan = park_sdk.plan(types=types, accounts=[park_sdk.whoami()])
    result = park_sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok, result.task_reasons
    assert seed("efs").describe_file_systems()["FileSystems"] == []


def test_a_file_system_still_creating_is_not_yet_and_a_deleting_one_pending():
    # moto's file systems are available at once; AWS refuses to delete one still creating.
    stub = StubbedClients("efs")
    location = Location("1", "us-east-1")
    fs = Resource("efs:file-system", "fs-12345678", "1", "us-east-1")
    stub.error("delete_file_system", "IncorrectFileSystemLifeCycleState", "File system is in state creating")
    assert EfsFileSystemHandler(stub).delete(location, [fs])[0].kind is OutcomeKind.NOT_YET
    stub.error("describe_file_systems", "FileSystemNotFound", "File system 'fs-12345678' does not exist.")
    assert EfsFileSystemHandler(stub).confirm_gone(location, [fs])[0].kind is OutcomeKind.DONE


def test_storage_is_priced_per_class_and_provisioned_throughput_per_mibps():
    handler = EfsFileSystemHandler(StubbedClients("efs"))

    regional = Resource(
        "efs:file-system",
        "fs-1",
        "1",
        "us-east-1",
        attributes={
            "size": {"standard": 10.0, "ia": 0.0, "archive": 0.0},
            "one_zone": False,
            "throughput_mode": "provisioned",
            "provisioned_mibps": 64.0,
        },
    )
    assert [(u.usage_type, u.unit, u.quantity) for u in handler.usage(regional)] == [
        ("TimedStorage-ByteHrs", "GB-Mo", 10.0),
        ("ProvisionedTP-MiBpsHrs", "MiBps-Mo", 64.0),
    ]
    one_zone = Resource(
        "efs:file-system",
        "fs-2",
        "1",
        "us-east-1",
        attributes={"size": {"standard": 1.0, "ia": 2.0, "archive": 0.0}, "one_zone": True},
    )
    assert [(u.usage_type, u.quantity) for u in handler.usage(one_zone)] == [
        ("TimedStorage-Z-ByteHrs", 1.0),
        ("IATimedStorage-Z-ByteHrs", 2.0),
    ]


def test_sizes_are_read_per_storage_class(aws, location, seed):
    seed_file_system(seed, "data")
    [found] = EfsFileSystemHandler(aws).discover(location, [])
    assert found.attributes["size"] == {"standard": 0.0, "ia": 0.0, "archive": 0.0}
    assert [(u.usage_type, u.quantity) for u in EfsFileSystemHandler(aws).usage(found)] == [
        ("TimedStorage-ByteHrs", 0.0)
    ]
