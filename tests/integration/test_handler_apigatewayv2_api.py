from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.apigatewayv2_api import ApiGatewayV2ApiHandler
from tests.integration.stubs import StubbedClients


def test_discovers_and_deletes_http_and_websocket_apis(aws, location, seed):
    api = seed("apigatewayv2")
    http = api.create_api(Name="web", ProtocolType="HTTP", Tags={"team": "ops"})["ApiId"]
    api.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    handler = ApiGatewayV2ApiHandler(aws)

    found = {r.name: r for r in handler.discover(location, [])}
    assert set(found) == {"web", "chat"}
    assert found["web"].id == http and found["web"].tags == {"team": "ops"}
    assert found["chat"].attributes == {"protocol": "WEBSOCKET"}
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert handler.discover(location, []) == []


def test_deleting_a_vanished_api_is_gone():
    # moto accepts DeleteApi of an unknown ID; AWS answers NotFoundException
    stub = StubbedClients("apigatewayv2")
    stub.error("delete_api", "NotFoundException", "Invalid API identifier specified")
    [result] = ApiGatewayV2ApiHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("apigatewayv2:api", "abc123", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.GONE
