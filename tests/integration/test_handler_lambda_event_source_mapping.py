from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.lambda_event_source_mapping import LambdaEventSourceMappingHandler
from tests.integration.park_fixtures import add_mapping, make_function
from tests.integration.stubs import StubbedClients

UUID = "6f0e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"


def test_discovers_deletes_and_confirms_mappings(aws, location, seed):
    make_function(seed, "worker")
    uuids = {add_mapping(seed, "worker", enabled=True), add_mapping(seed, "worker", enabled=False)}
    handler = LambdaEventSourceMappingHandler(aws)
    found = handler.discover(location, [])
    assert {r.id for r in found} == uuids
    assert {r.name for r in found} == {"worker"} and all(r.tags == {} for r in found)
    assert {o.kind for o in handler.delete(location, found)} == {OutcomeKind.PENDING}
    assert {o.kind for o in handler.confirm_gone(location, found)} == {OutcomeKind.DONE}
    assert seed("lambda").list_event_source_mappings()["EventSourceMappings"] == []
    # a second delete settles as gone (moto accepts deleting a missing mapping: see the next test)
    handler.delete(location, found)
    assert {o.kind for o in handler.confirm_gone(location, found)} == {OutcomeKind.DONE}


def test_deleting_a_mapping_already_gone_is_gone():
    # moto answers success for a missing UUID; AWS answers ResourceNotFoundException.
    stub = StubbedClients("lambda")
    stub.error(
        "delete_event_source_mapping",
        "ResourceNotFoundException",
        "The resource you requested does not exist.",
    )
    mapping = Resource("lambda:event-source-mapping", UUID, "1", "us-east-1")
    [result] = LambdaEventSourceMappingHandler(stub).delete(Location("1", "us-east-1"), [mapping])
    assert result.kind is OutcomeKind.GONE


def test_a_mapping_mid_change_is_not_yet_and_a_deleting_one_is_pending():
    # moto's mappings never sit mid-change; AWS refuses to delete one that is Creating, Enabling or
    # Updating with ResourceInUseException, and reports State "Deleting" until it is gone.
    stub = StubbedClients("lambda")
    location = Location("1", "us-east-1")
    mapping = Resource("lambda:event-source-mapping", UUID, "1", "us-east-1")
    stub.error(
        "delete_event_source_mapping", "ResourceInUseException", "Cannot update the event source mapping"
    )
    assert LambdaEventSourceMappingHandler(stub).delete(location, [mapping])[0].kind is OutcomeKind.NOT_YET
    stub.reply("get_event_source_mapping", {"UUID": UUID, "State": "Deleting"}, {"UUID": UUID})
    [confirmed] = LambdaEventSourceMappingHandler(stub).confirm_gone(location, [mapping])
    assert confirmed.kind is OutcomeKind.PENDING and confirmed.message == "Deleting"


def test_a_mapping_already_deleting_costs_no_call():
    stub = StubbedClients("lambda")  # any call would fail the Stubber
    mapping = Resource("lambda:event-source-mapping", UUID, "1", "r", attributes={"state": "Deleting"})
    [result] = LambdaEventSourceMappingHandler(stub).delete(Location("1", "r"), [mapping])
    assert result.kind is OutcomeKind.PENDING
