from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.efs_mount_target import EfsMountTargetHandler
from tests.integration.efs_fixtures import seed_file_system, seed_mount_target
from tests.integration.stubs import StubbedClients


def test_discovers_deletes_and_confirms_mount_targets_with_their_interfaces(aws, location, seed):
    fs = seed_file_system(seed, "data")
    seed_file_system(seed, "unmounted")
    target = seed_mount_target(seed, fs)
    handler = EfsMountTargetHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == target and found.attributes["file_system_id"] == fs and found.tags == {}
    interface = found.attributes["network_interface_id"]
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert seed("efs").describe_mount_targets(FileSystemId=fs)["MountTargets"] == []
    assert not seed("ec2").describe_network_interfaces(
        Filters=[{"Name": "network-interface-id", "Values": [interface]}]
    )["NetworkInterfaces"]  # the interface went with it
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.GONE]  # idempotent


def test_a_mount_target_still_creating_is_not_yet_and_a_deleting_one_pending():
    # moto's mount targets are available at once; AWS refuses to delete one still creating.
    stub = StubbedClients("efs")
    location = Location("1", "us-east-1")
    target = Resource("efs:mount-target", "fsmt-12345678", "1", "us-east-1")
    stub.error("delete_mount_target", "IncorrectMountTargetState", "Mount target is in state creating")
    assert EfsMountTargetHandler(stub).delete(location, [target])[0].kind is OutcomeKind.NOT_YET
    stub.reply(
        "describe_mount_targets",
        {
            "MountTargets": [
                {
                    "MountTargetId": "fsmt-12345678",
                    "FileSystemId": "fs-12345678",
                    "SubnetId": "subnet-12345678",
                    "LifeCycleState": "deleting",
                }
            ]
        },
    )
    [confirmed] = EfsMountTargetHandler(stub).confirm_gone(location, [target])
    assert confirmed.kind is OutcomeKind.PENDING and confirmed.message == "deleting"
