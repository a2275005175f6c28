from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.rds_db_parameter_group import RdsDbParameterGroupHandler
from tests.integration.stubs import StubbedClients

TAG = [{"Key": "team", "Value": "a"}]
HERE = Location("1", "us-east-1")


def _deletes_and_is_idempotent(handler, location, name):
    found = {r.id: r for r in handler.discover(location, [])}
    assert found[name].tags == {"team": "a"}
    assert handler.delete(location, [found[name]])[0].kind is OutcomeKind.DONE
    assert name not in {r.id for r in handler.discover(location, [])}
    assert handler.delete(location, [found[name]])[0].kind is OutcomeKind.GONE


def test_parameter_groups_never_touch_aws_defaults(aws, location, seed):
    rds = seed("rds")
    for name in ("app-pg16", "default.postgres16"):
        rds.create_db_parameter_group(
            DBParameterGroupName=name, DBParameterGroupFamily="postgres16", Description=name, Tags=TAG
        )
    handler = RdsDbParameterGroupHandler(aws)
    assert "default.postgres16" not in {r.id for r in handler.discover(location, [])}
    _deletes_and_is_idempotent(handler, location, "app-pg16")


def test_in_use_is_not_yet():
    # moto deletes a group whatever uses it; AWS answers InvalidDBParameterGroupState
    stub = StubbedClients("rds")
    stub.error(
        "delete_db_parameter_group",
        "InvalidDBParameterGroupState",
        "The group cannot be deleted because it is in use.",
    )
    [result] = RdsDbParameterGroupHandler(stub).delete(
        HERE, [Resource(RdsDbParameterGroupHandler.spec.key, "g", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
