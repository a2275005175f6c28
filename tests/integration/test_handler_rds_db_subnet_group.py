from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handler_kit.base import HandlerOptions
from costzero.infrastructure.aws.handlers.rds_db_subnet_group import RdsDbSubnetGroupHandler
from tests.integration.stubs import StubbedClients

TAG = [{"Key": "team", "Value": "a"}]
HERE = Location("1", "us-east-1")


def _subnets(seed):
    ec2 = seed("ec2")
    return [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"][:2]]


def _deletes_and_is_idempotent(handler, location, name):
    found = {r.id: r for r in handler.discover(location, [])}
    assert found[name].tags == {"team": "a"}
    assert handler.delete(location, [found[name]])[0].kind is OutcomeKind.DONE
    assert name not in {r.id for r in handler.discover(location, [])}
    assert handler.delete(location, [found[name]])[0].kind is OutcomeKind.GONE


def test_subnet_groups_and_the_default_one_only_with_include_defaults(aws, location, seed):
    rds = seed("rds")
    for name in ("app-db", "default"):
        rds.create_db_subnet_group(
            DBSubnetGroupName=name, DBSubnetGroupDescription=name, SubnetIds=_subnets(seed), Tags=TAG
        )
    assert [r.id for r in RdsDbSubnetGroupHandler(aws).discover(location, [])] == ["app-db"]
    _deletes_and_is_idempotent(RdsDbSubnetGroupHandler(aws), location, "app-db")
    with_defaults = RdsDbSubnetGroupHandler(aws, HandlerOptions(include_defaults=True))
    assert [r.id for r in with_defaults.discover(location, [])] == ["default"]


def test_in_use_is_not_yet():
    # moto deletes a group whatever uses it; AWS answers InvalidDBSubnetGroupStateFault
    stub = StubbedClients("rds")
    stub.error(
        "delete_db_subnet_group",
        "InvalidDBSubnetGroupStateFault",
        "The group cannot be deleted because it is in use.",
    )
    [result] = RdsDbSubnetGroupHandler(stub).delete(
        HERE, [Resource(RdsDbSubnetGroupHandler.spec.key, "g", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
