from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.apigateway_rest_api import ApiGatewayRestApiHandler, _Pace
from tests.integration.stubs import StubbedClients


class _Paced(ApiGatewayRestApiHandler):
    """The handler with its own quota book and a clock the test moves."""

    def __init__(self, clients, start: float = 1000.0) -> None:
        super().__init__(clients)
        self.pace = _Pace()
        self.time = start

    def now(self) -> float:
        return self.time


def test_deletes_one_rest_api_per_30_seconds_per_account(aws, location, seed):
    apigw = seed("apigateway")
    ids = [apigw.create_rest_api(name=f"api-{n}", tags={"n": str(n)})["id"] for n in range(3)]
    handler = _Paced(aws)
    found = handler.discover(location, [])
    assert {r.id for r in found} == set(ids) and {r.tags["n"] for r in found} == {"0", "1", "2"}

    first = handler.delete(location, found)
    assert [o.kind for o in first] == [OutcomeKind.DONE, OutcomeKind.THROTTLED, OutcomeKind.THROTTLED]
    handler.time += 10  # within the 30 s: no call at all
    assert {o.kind for o in handler.delete(location, found[1:])} == {OutcomeKind.THROTTLED}
    handler.time += 20
    assert [o.kind for o in handler.delete(location, found[1:])] == [OutcomeKind.DONE, OutcomeKind.THROTTLED]
    assert aws.counter.calls[("apigateway", "DeleteRestApi")] == 2
    other_region = Location(location.account, "eu-west-1")  # the quota is the account's, not the region's
    handler.time += 5
    assert {o.kind for o in handler.delete(other_region, found[2:])} == {OutcomeKind.THROTTLED}
    handler.time += 30
    assert [o.kind for o in handler.delete(location, found[2:])] == [OutcomeKind.DONE]
    assert apigw.get_rest_apis()["items"] == []


def test_deleting_a_vanished_rest_api_is_gone():
    # moto fails with an internal error on an unknown ID; AWS answers NotFoundException
    stub = StubbedClients("apigateway")
    stub.error("delete_rest_api", "NotFoundException", "Invalid API identifier specified")
    api = Resource("apigateway:rest-api", "a1b2c3", "1", "us-east-1")
    assert [o.kind for o in _Paced(stub).delete(Location("1", "us-east-1"), [api])] == [OutcomeKind.GONE]


def test_aws_throttling_of_delete_rest_api_is_throttled():
    # moto does not enforce the quota: AWS answers TooManyRequestsException
    stub = StubbedClients("apigateway")
    stub.error("delete_rest_api", "TooManyRequestsException", "Too Many Requests")
    api = Resource("apigateway:rest-api", "a1b2c3", "1", "us-east-1")
    [result] = _Paced(stub).delete(Location("1", "us-east-1"), [api])
    assert result.kind is OutcomeKind.THROTTLED
