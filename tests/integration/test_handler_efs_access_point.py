from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.efs_access_point import EfsAccessPointHandler
from tests.integration.efs_fixtures import seed_access_point, seed_file_system
from tests.integration.stubs import StubbedClients


def test_discovers_deletes_and_confirms_access_points(aws, location, seed):
    fs = seed_file_system(seed, "data")
    point = seed_access_point(seed, fs, [{"Key": "Name", "Value": "app"}, {"Key": "team", "Value": "web"}])
    handler = EfsAccessPointHandler(aws)
    [found] = handler.discover(location, [])
    assert found.id == point and found.name == "app" and found.tags == {"Name": "app", "team": "web"}
    assert found.attributes["file_system_id"] == fs
    assert [o.kind for o in handler.delete(location, [found])] == [OutcomeKind.PENDING]
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]
    assert seed("efs").describe_access_points()["AccessPoints"] == []
    # a second delete settles as gone (moto accepts deleting a missing access point: see below)
    handler.delete(location, [found])
    assert [o.kind for o in handler.confirm_gone(location, [found])] == [OutcomeKind.DONE]


def test_deleting_an_access_point_already_gone_is_gone():
    # moto answers success for a missing ID; AWS answers AccessPointNotFound.
    stub = StubbedClients("efs")
    stub.error("delete_access_point", "AccessPointNotFound", "Access point 'fsap-1' does not exist.")
    point = Resource("efs:access-point", "fsap-1", "1", "us-east-1")
    assert EfsAccessPointHandler(stub).delete(Location("1", "us-east-1"), [point])[0].kind is OutcomeKind.GONE
