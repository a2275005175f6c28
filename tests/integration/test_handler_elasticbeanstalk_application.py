from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.elasticbeanstalk_application import (
    ElasticBeanstalkApplicationHandler,
)
from costzero.presentation.sdk import CostZero
from tests.integration.conftest import REGION
from tests.integration.stubs import StubbedClients


def test_applications_are_discovered_with_their_tags_and_deleted(aws, location, seed):
    eb = seed("elasticbeanstalk")
    eb.create_application(ApplicationName="shop", Tags=[{"Key": "team", "Value": "web"}])
    eb.create_application(ApplicationName="blog")
    handler = ElasticBeanstalkApplicationHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    # tags read, not unreadable (None); the embedded moto server is taught application tags (see
    # moto_server._beanstalk_application_tags): one ListTagsForResource per application, as on AWS
    assert {name: r.tags for name, r in found.items()} == {"shop": {"team": "web"}, "blog": {}}
    assert {k: n for k, n in aws.counter.calls.items() if k[0] == "elasticbeanstalk"} == {
        ("elasticbeanstalk", "DescribeEnvironments"): 1,
        ("elasticbeanstalk", "DescribeApplications"): 1,
        ("elasticbeanstalk", "ListTagsForResource"): 2,
    }
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert eb.describe_applications()["Applications"] == []


def test_a_keep_tag_on_an_application_keeps_it(moto_server, seed, tmp_path):
    eb = seed("elasticbeanstalk")
    eb.create_application(ApplicationName="shop", Tags=[{"Key": "keep", "Value": "true"}])
    eb.create_application(ApplicationName="scratch")
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'runs.db'}",
        exclude_tags=["keep=true"],
    ) as sdk:
        plan = sdk.plan(types=["elasticbeanstalk:application"], accounts=[sdk.whoami()])
        assert [(k.resource.id, k.reason) for k in plan.kept] == [("shop", "tag keep=true")]
        assert [r.id for r in plan.targets] == ["scratch"]
        result = sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok and result.kept == 1
    assert [a["ApplicationName"] for a in eb.describe_applications()["Applications"]] == ["shop"]


def test_an_application_with_running_environments_is_not_yet():
    # Real AWS refuses while environments run (moto deletes them along, and never refuses).
    stub = StubbedClients("elasticbeanstalk")
    stub.error(
        "delete_application",
        "InvalidParameterValue",
        "Unable to delete application shop because it has running environments",
        {"ApplicationName": "shop", "TerminateEnvByForce": False},
    )
    stub.error("delete_application", "InvalidParameterValue", "No Application named 'shop' found.")
    handler = ElasticBeanstalkApplicationHandler(stub)
    app = Resource("elasticbeanstalk:application", "shop", "1", "r")
    assert handler.delete(Location("1", "r"), [app])[0].kind is OutcomeKind.NOT_YET
    assert handler.delete(Location("1", "r"), [app])[0].kind is OutcomeKind.GONE


def test_application_tags_are_read_by_arn():
    stub = StubbedClients("elasticbeanstalk")
    stub.reply("describe_environments", {"Environments": []})  # its links: no environment
    stub.reply("describe_applications", {"Applications": [{"ApplicationName": "shop"}]})
    arn = "arn:aws:elasticbeanstalk:r:1:application/shop"
    stub.reply(
        "list_tags_for_resource",
        {"ResourceArn": arn, "ResourceTags": [{"Key": "keep", "Value": "true"}]},
        {"ResourceArn": arn},
    )
    [found] = ElasticBeanstalkApplicationHandler(stub).discover(Location("1", "r"), [])
    assert found.tags == {"keep": "true"} and found.links == ()


def test_unreadable_application_tags_are_none_so_filters_keep_it():
    stub = StubbedClients("elasticbeanstalk")
    stub.reply("describe_environments", {"Environments": []})
    arn = "arn:aws:elasticbeanstalk:r:1:application/shop"
    stub.reply(
        "describe_applications", {"Applications": [{"ApplicationName": "shop", "ApplicationArn": arn}]}
    )
    stub.error("list_tags_for_resource", "AccessDeniedException", "no", {"ResourceArn": arn})
    [found] = ElasticBeanstalkApplicationHandler(stub).discover(Location("1", "r"), [])
    assert found.id == "shop" and found.tags is None
