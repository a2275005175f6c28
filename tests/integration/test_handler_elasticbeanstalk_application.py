from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.elasticbeanstalk_application import (
    ElasticBeanstalkApplicationHandler,
)
from tests.integration.stubs import StubbedClients


def test_applications_are_discovered_and_deleted(aws, location, seed):
    eb = seed("elasticbeanstalk")
    eb.create_application(ApplicationName="shop")
    handler = ElasticBeanstalkApplicationHandler(aws)
    [found] = handler.discover(location, [])
    # moto keeps tags for environments only, so application tags are unreadable there: None, which
    # makes tag filters keep the application (fail closed). Real AWS tags: see the Stubber test.
    assert found.id == "shop" and found.tags is None
    assert handler.delete(location, [found])[0].kind is OutcomeKind.DONE
    assert eb.describe_applications()["Applications"] == []


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
