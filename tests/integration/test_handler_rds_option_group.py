from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.rds_option_group import RdsOptionGroupHandler
from tests.integration.stubs import StubbedClients

TAG = [{"Key": "team", "Value": "a"}]
HERE = Location("1", "us-east-1")


def test_option_groups_are_deleted_and_idempotent(aws, location, seed):
    seed("rds").create_option_group(
        OptionGroupName="app-mysql",
        EngineName="mysql",
        MajorEngineVersion="8.0",
        OptionGroupDescription="app",
    )
    handler = RdsOptionGroupHandler(aws)
    group = Resource("rds:option-group", "app-mysql", location.account, location.region)
    assert handler.delete(location, [group])[0].kind is OutcomeKind.DONE
    assert handler.delete(location, [group])[0].kind is OutcomeKind.GONE


def test_option_groups_are_listed_with_their_tags_but_never_aws_defaults():
    # Stubber: moto 5.2.5's DescribeOptionGroups fails (KeyError, HTTP 500) unless given a group name
    stub = StubbedClients("rds")
    arn = "arn:aws:rds:us-east-1:123456789012:og:"
    stub.reply(
        "describe_option_groups",
        {
            "OptionGroupsList": [
                {"OptionGroupName": "default:mysql-8-0", "OptionGroupArn": arn + "default:mysql-8-0"},
                {"OptionGroupName": "app-mysql", "OptionGroupArn": arn + "app-mysql"},
            ]
        },
    )
    stub.reply("list_tags_for_resource", {"TagList": TAG}, {"ResourceName": arn + "app-mysql"})
    [found] = RdsOptionGroupHandler(stub).discover(HERE, [])
    assert (found.id, found.tags) == ("app-mysql", {"team": "a"})


def test_an_option_group_a_kept_snapshot_refers_to_is_blocked_not_retried():
    stub = StubbedClients("rds")
    stub.error(
        "delete_option_group",
        "InvalidOptionGroupStateFault",
        "The option group 'app-mysql' cannot be deleted because it is in use by a DB snapshot.",
    )
    [result] = RdsOptionGroupHandler(stub).delete(HERE, [Resource("rds:option-group", "app-mysql", "1", "r")])
    assert result.kind is OutcomeKind.BLOCKED and "snapshot this run keeps" in result.message


def test_in_use_is_not_yet():
    # moto deletes a group whatever uses it; AWS answers InvalidOptionGroupStateFault
    stub = StubbedClients("rds")
    stub.error(
        "delete_option_group",
        "InvalidOptionGroupStateFault",
        "The group cannot be deleted because it is in use.",
    )
    [result] = RdsOptionGroupHandler(stub).delete(
        HERE, [Resource(RdsOptionGroupHandler.spec.key, "g", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET
