from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.eks_nodegroup import EksNodegroupHandler
from tests.integration.conftest import round_trip
from tests.integration.park_fixtures import seed_nodegroup
from tests.integration.stubs import StubbedClients


def test_node_groups_scale_to_zero_and_back(park_sdk, seed):
    seed_nodegroup(seed, "general", 1, 2, 5)
    before, parked, after = round_trip(park_sdk, "eks:nodegroup")
    assert before["prod/general"] == {"min": 1, "max": 5, "desired": 2, "status": "ACTIVE"}
    assert parked["prod/general"]["desired"] == 0 and parked["prod/general"]["min"] == 0
    assert after == before


def test_node_groups_are_deleted_and_confirmed(aws, location, seed):
    seed_nodegroup(seed, "general", 1, 2, 5)
    handler = EksNodegroupHandler(aws)
    [found] = handler.discover(location, [])
    assert handler.delete(location, [found])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(location, [found])[0].kind is OutcomeKind.DONE
    assert handler.delete(location, [found])[0].kind is OutcomeKind.GONE


def test_a_group_deleting_is_pending_and_a_failed_delete_failed():
    # moto removes a node group at once; AWS keeps it DELETING for minutes, or DELETE_FAILED
    stub = StubbedClients("eks")
    for status in ("DELETING", "DELETE_FAILED"):
        stub.reply("describe_nodegroup", {"nodegroup": {"status": status, "scalingConfig": {}}})
    handler = EksNodegroupHandler(stub)
    group = Resource("eks:nodegroup", "prod/general", "1", "us-east-1")
    assert handler.confirm_gone(Location("1", "us-east-1"), [group])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(Location("1", "us-east-1"), [group])[0].kind is OutcomeKind.FAILED


def test_a_group_still_updating_is_not_yet():
    stub = StubbedClients("eks")
    stub.error("delete_nodegroup", "ResourceInUseException", "Nodegroup is currently UPDATING")
    [result] = EksNodegroupHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("eks:nodegroup", "prod/general", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
