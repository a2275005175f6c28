from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.elasticbeanstalk_environment import (
    ElasticBeanstalkEnvironmentHandler,
)
from tests.integration.stubs import StubbedClients

STACK = "64bit Amazon Linux 2023 v4.0.0 running Python 3.11"


def test_environments_are_discovered_terminated_and_confirmed(aws, location, seed):
    # The moto server gets a minimal TerminateEnvironment from costzero's embedded server
    # (moto 5 has none); the real-AWS sequence is covered with Stubber below.
    eb = seed("elasticbeanstalk")
    eb.create_application(ApplicationName="shop")
    for name in ("shop-dev", "shop-staging"):
        eb.create_environment(
            ApplicationName="shop",
            EnvironmentName=name,
            SolutionStackName=STACK,
            Tags=[{"Key": "team", "Value": "web"}],
        )
    handler = ElasticBeanstalkEnvironmentHandler(aws)
    found = handler.discover(location, [])
    assert {r.name for r in found} == {"shop-dev", "shop-staging"}
    assert found[0].tags == {"team": "web"} and found[0].attributes["application"] == "shop"
    assert {o.kind for o in handler.delete(location, found)} == {OutcomeKind.PENDING}
    assert {o.kind for o in handler.confirm_gone(location, found)} == {OutcomeKind.DONE}
    assert handler.discover(location, []) == []
    assert {o.kind for o in handler.delete(location, found)} == {OutcomeKind.GONE}


def test_real_aws_terminating_then_terminated():
    stub = StubbedClients("elasticbeanstalk")
    env = Resource("elasticbeanstalk:environment", "e-1", "1", "r", name="shop-dev")
    stub.reply(
        "terminate_environment",
        {"EnvironmentId": "e-1", "Status": "Terminating"},
        {"EnvironmentName": "shop-dev"},
    )
    stub.reply(
        "describe_environments", {"Environments": [{"EnvironmentName": "shop-dev", "Status": "Terminating"}]}
    )
    stub.reply(
        "describe_environments", {"Environments": [{"EnvironmentName": "shop-dev", "Status": "Terminated"}]}
    )
    handler = ElasticBeanstalkEnvironmentHandler(stub)
    location = Location("1", "r")
    assert handler.delete(location, [env])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(location, [env])[0].kind is OutcomeKind.PENDING
    assert handler.confirm_gone(location, [env])[0].kind is OutcomeKind.DONE
    stub.stubber.assert_no_pending_responses()
