from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.rds_db_cluster_parameter_group import (
    RdsDbClusterParameterGroupHandler,
)
from tests.integration.stubs import StubbedClients

TAG = [{"Key": "team", "Value": "a"}]
HERE = Location("1", "us-east-1")


def _deletes_and_is_idempotent(handler, location, name):
    found = {r.id: r for r in handler.discover(location, [])}
    assert found[name].tags == {"team": "a"}
    assert handler.delete(location, [found[name]])[0].kind is OutcomeKind.DONE
    assert name not in {r.id for r in handler.discover(location, [])}
    assert handler.delete(location, [found[name]])[0].kind is OutcomeKind.GONE


def test_cluster_parameter_groups_never_touch_aws_defaults(aws, location, seed):
    rds = seed("rds")
    for name in ("app-aurora", "default.aurora-postgresql16"):
        rds.create_db_cluster_parameter_group(
            DBClusterParameterGroupName=name,
            DBParameterGroupFamily="aurora-postgresql16",
            Description=name,
            Tags=TAG,
        )
    handler = RdsDbClusterParameterGroupHandler(aws)
    assert "default.aurora-postgresql16" not in {r.id for r in handler.discover(location, [])}
    _deletes_and_is_idempotent(handler, location, "app-aurora")


def test_in_use_is_not_yet():
    # moto deletes a group whatever uses it; AWS answers InvalidDBParameterGroupState
    stub = StubbedClients("rds")
    stub.error(
        "delete_db_cluster_parameter_group",
        "InvalidDBParameterGroupState",
        "The group cannot be deleted because it is in use.",
    )
    [result] = RdsDbClusterParameterGroupHandler(stub).delete(
        HERE, [Resource(RdsDbClusterParameterGroupHandler.spec.key, "g", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
