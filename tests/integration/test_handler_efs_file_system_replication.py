"""EFS replication: a file system that is the source or the destination of a replication
configuration cannot be deleted until the configuration is.

moto has no EFS replication (DescribeReplicationConfigurations, DeleteReplicationConfiguration,
FileSystemProtection): AWS's answers are given with botocore's Stubber, which also checks that no
call is made beyond those queued (nothing is touched on a side outside the selection).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Link, Location
from costzero.infrastructure.aws.handlers.efs_file_system import EfsFileSystemHandler
from tests.integration.stubs import StubbedClients

ACCOUNT = "123456789012"
EAST, WEST = "us-east-1", "eu-west-1"
SOURCE, REPLICA = "fs-0123456789abcdef0", "fs-0fedcba9876543210"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _fs(fs_id: str, protection: str = "ENABLED") -> dict[str, Any]:
    return {
        "OwnerId": ACCOUNT,
        "CreationToken": fs_id,
        "FileSystemId": fs_id,
        "CreationTime": NOW,
        "LifeCycleState": "available",
        "NumberOfMountTargets": 0,
        "SizeInBytes": {"Value": 6144},
        "PerformanceMode": "generalPurpose",
        "Tags": [],
        "FileSystemProtection": {"ReplicationOverwriteProtection": protection},
    }


def _configuration(status: str = "ENABLED") -> dict[str, Any]:
    return {
        "SourceFileSystemId": SOURCE,
        "SourceFileSystemRegion": EAST,
        "SourceFileSystemArn": f"arn:aws:elasticfilesystem:{EAST}:{ACCOUNT}:file-system/{SOURCE}",
        "OriginalSourceFileSystemArn": f"arn:aws:elasticfilesystem:{EAST}:{ACCOUNT}:file-system/{SOURCE}",
        "CreationTime": NOW,
        "Destinations": [{"Status": status, "FileSystemId": REPLICA, "Region": WEST}],
    }


def _discover(stub: StubbedClients, region: str, regions: list[str], fs: dict[str, Any], listing, own=None):
    """Queue one discovery's answers (file systems, access points, the region's replication
    configurations, and one file system's when `own` is given), then discover."""
    stub.reply("describe_file_systems", {"FileSystems": [fs]})
    stub.reply("describe_access_points", {"AccessPoints": []})
    stub.reply("describe_replication_configurations", {"Replications": listing}, {})
    if own is not None:
        stub.reply(
            "describe_replication_configurations", {"Replications": own}, {"FileSystemId": fs["FileSystemId"]}
        )
    [found] = EfsFileSystemHandler(stub).discover(Location(ACCOUNT, region), regions)
    return found


def test_a_source_whose_replica_is_in_a_region_not_selected_is_blocked_without_a_call():
    """Deleting the configuration would make the eu-west-1 replica writeable and end its updates:
    a change in a region the user excluded. Kept, and said why."""
    stub = StubbedClients("efs")
    source = _discover(stub, EAST, [EAST], _fs(SOURCE), [_configuration()])
    assert source.attributes["replication"]["role"] == "source"
    assert source.attributes["replication"]["outside"] == f"in {WEST}, not selected"
    [result] = EfsFileSystemHandler(stub).delete(Location(ACCOUNT, EAST), [source])
    assert result.kind is OutcomeKind.BLOCKED
    assert result.message == (
        f"replicates to {REPLICA} in {WEST}, not selected: AWS deletes the file system only after its"
        " replication configuration, and deleting that would stop that replica's updates and make it"
        f" writeable; select {WEST} too, or delete the replication configuration first"
    )
    stub.stubber.assert_no_pending_responses()  # and no delete was sent (Stubber refuses unqueued calls)


def test_a_source_whose_replica_is_selected_deletes_the_configuration_waits_then_itself():
    stub = StubbedClients("efs")
    location = Location(ACCOUNT, EAST)
    handler = EfsFileSystemHandler(stub)
    source = _discover(stub, EAST, [EAST, WEST], _fs(SOURCE), [_configuration()])
    assert source.attributes["replication"]["outside"] is None and source.links == ()

    stub.reply("delete_replication_configuration", {}, {"SourceFileSystemId": SOURCE})
    [deleting] = handler.delete(location, [source])
    assert deleting.kind is OutcomeKind.PENDING and "replication configuration" in deleting.message

    # minutes: the configuration is still there, and the file system is not deleted yet
    stub.reply("describe_file_systems", {"FileSystems": [_fs(SOURCE)]}, {"FileSystemId": SOURCE})
    stub.reply(
        "describe_replication_configurations",
        {"Replications": [_configuration("DELETING")]},
        {"FileSystemId": SOURCE},
    )
    assert handler.confirm_gone(location, [source])[0].kind is OutcomeKind.PENDING

    # the configuration gone: the file system's own delete, then confirmed gone
    stub.reply("describe_file_systems", {"FileSystems": [_fs(SOURCE)]}, {"FileSystemId": SOURCE})
    stub.error("describe_replication_configurations", "ReplicationNotFound", "", {"FileSystemId": SOURCE})
    stub.reply("delete_file_system", {}, {"FileSystemId": SOURCE})
    assert handler.confirm_gone(location, [source])[0].kind is OutcomeKind.PENDING
    stub.error("describe_file_systems", "FileSystemNotFound", "", {"FileSystemId": SOURCE})
    assert handler.confirm_gone(location, [source])[0].kind is OutcomeKind.DONE
    stub.stubber.assert_no_pending_responses()


def test_a_replica_waits_for_its_selected_source_and_is_blocked_when_the_source_is_not_selected():
    """The destination (found by its REPLICATING protection when the region's listing misses it)
    links to its source in us-east-1, which deletes the configuration; with us-east-1 not
    selected, deleting the configuration would end the source's replication there: blocked."""
    stub = StubbedClients("efs", region=WEST)
    replica = _discover(stub, WEST, [EAST, WEST], _fs(REPLICA, "REPLICATING"), [], own=[_configuration()])
    assert replica.attributes["replication"]["role"] == "destination"
    assert replica.links == (Link("efs:file-system", SOURCE, "replica of", region=EAST),)
    stub.reply("delete_file_system", {}, {"FileSystemId": REPLICA})  # once the source is gone
    assert (
        EfsFileSystemHandler(stub).delete(Location(ACCOUNT, WEST), [replica])[0].kind is OutcomeKind.PENDING
    )

    alone = _discover(stub, WEST, [WEST], _fs(REPLICA, "REPLICATING"), [_configuration()])
    assert alone.links == ()
    [result] = EfsFileSystemHandler(stub).delete(Location(ACCOUNT, WEST), [alone])
    assert result.kind is OutcomeKind.BLOCKED
    assert result.message.startswith(f"is the replica of {SOURCE} in {EAST}, not selected:")
    stub.stubber.assert_no_pending_responses()


def test_a_file_system_without_replication_is_deleted_as_ever():
    stub = StubbedClients("efs")
    plain = _discover(stub, EAST, [EAST], _fs(SOURCE), [])
    assert plain.attributes["replication"] is None and plain.links == ()
    stub.reply("delete_file_system", {}, {"FileSystemId": SOURCE})
    [result] = EfsFileSystemHandler(stub).delete(Location(ACCOUNT, EAST), [plain])
    assert result.kind is OutcomeKind.PENDING and result.message == "deleting"
    stub.stubber.assert_no_pending_responses()
