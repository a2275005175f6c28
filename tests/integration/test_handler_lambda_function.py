import pytest

from costzero.domain.outcomes import OutcomeKind
from costzero.domain.resources import Location, Resource
from costzero.infrastructure.aws.handlers.lambda_function import LambdaFunctionHandler
from tests.integration.park_fixtures import add_mapping, make_function
from tests.integration.stubs import StubbedClients


@pytest.fixture
def sdk(park_sdk):
    return park_sdk


def lambda_settings(sdk):
    return {
        i.resource.id: i.resource.attributes["settings"]
        for i in sdk.plan_stop(types=["lambda:function"]).reports
    }


def test_reserved_concurrency_unset_zero_and_five_and_mappings_round_trip(sdk, seed):
    make_function(seed, "unset")
    make_function(seed, "zero", reserved=0)
    make_function(seed, "five", reserved=5)
    on = add_mapping(seed, "five", enabled=True)
    add_mapping(seed, "five", enabled=False)
    add_mapping(seed, "unset", enabled=True)

    before = lambda_settings(sdk)
    assert before["five"]["reserved"] == 5 and before["five"]["enabled_mappings"] == [on]
    assert before["unset"]["reserved"] is None

    account = sdk.whoami()
    stopped = sdk.stop(types=["lambda:function"], accounts=[account], dry_run=False, yes=True)
    assert stopped.ok, stopped.task_reasons
    assert stopped.outcomes["parked"] == 2 and stopped.outcomes["unmanaged"] == 1  # "zero" looked parked
    lam = seed("lambda")
    assert lam.get_function_concurrency(FunctionName="unset")["ReservedConcurrentExecutions"] == 0
    states = {m["State"] for m in lam.list_event_source_mappings(FunctionName="five")["EventSourceMappings"]}
    assert states == {"Disabled"}

    started = sdk.start(types=["lambda:function"], dry_run=False)
    assert started.ok and started.outcomes["restored"] == 2
    assert lambda_settings(sdk) == before
    assert "ReservedConcurrentExecutions" not in lam.get_function_concurrency(FunctionName="unset")  # unset


def test_provisioned_concurrency_is_removed_and_put_back():
    # moto has no provisioned-concurrency API: the real calls are checked with Stubber.
    stub = StubbedClients("lambda")
    function = Resource("lambda:function", "api", "1", "us-east-1")
    saved = {
        "api": {
            "reserved": 10,
            "enabled_mappings": [],
            "settling": [],
            "provisioned": [{"qualifier": "live", "count": 3}],
        }
    }
    stub.reply("delete_provisioned_concurrency_config", {}, {"FunctionName": "api", "Qualifier": "live"})
    stub.reply(
        "put_function_concurrency",
        {"ReservedConcurrentExecutions": 0},
        {"FunctionName": "api", "ReservedConcurrentExecutions": 0},
    )
    stub.reply(
        "put_function_concurrency",
        {"ReservedConcurrentExecutions": 10},
        {"FunctionName": "api", "ReservedConcurrentExecutions": 10},
    )
    stub.reply(
        "put_provisioned_concurrency_config",
        {"RequestedProvisionedConcurrentExecutions": 3},
        {"FunctionName": "api", "Qualifier": "live", "ProvisionedConcurrentExecutions": 3},
    )
    handler = LambdaFunctionHandler(stub)
    location = Location("1", "us-east-1")
    assert handler.stop(location, [function], saved)[0].kind is OutcomeKind.PENDING
    assert handler.start(location, [function], saved)[0].kind is OutcomeKind.PENDING
    stub.stubber.assert_no_pending_responses()


def test_provisioned_configs_are_read_on_aws():
    stub = StubbedClients("lambda")
    stub.reply(
        "list_provisioned_concurrency_configs",
        {
            "ProvisionedConcurrencyConfigs": [
                {
                    "FunctionArn": "arn:aws:lambda:us-east-1:1:function:api:live",
                    "RequestedProvisionedConcurrentExecutions": 3,
                }
            ]
        },
    )
    assert LambdaFunctionHandler._provisioned(stub.stubbed, "api") == [{"qualifier": "live", "count": 3}]


def test_discovery_reads_the_memory_of_each_qualifier_with_provisioned_concurrency():
    # moto has no provisioned-concurrency API: the discovery calls are answered by Stubber
    stub = StubbedClients("lambda")
    arn = "arn:aws:lambda:us-east-1:1:function:api"
    stub.reply(
        "list_functions", {"Functions": [{"FunctionName": "api", "FunctionArn": arn, "MemorySize": 128}]}
    )
    stub.reply("get_function_concurrency", {})
    stub.reply("list_event_source_mappings", {"EventSourceMappings": []})
    stub.reply(
        "list_provisioned_concurrency_configs",
        {
            "ProvisionedConcurrencyConfigs": [
                {"FunctionArn": f"{arn}:live", "RequestedProvisionedConcurrentExecutions": 4}
            ]
        },
    )
    stub.reply("list_tags", {"Tags": {}})
    stub.reply(
        "get_function_configuration",
        {"MemorySize": 2048, "Architectures": ["arm64"]},
        {"FunctionName": "api", "Qualifier": "live"},
    )
    handler = LambdaFunctionHandler(stub)
    [function] = handler.discover(Location("1", "us-east-1"), [])
    assert function.attributes["provisioned_sizes"] == {"live": {"memory_mb": 2048, "architecture": "arm64"}}
    [usage] = handler.usage(function)
    assert (usage.usage_type, usage.quantity) == ("Lambda-Provisioned-Concurrency-ARM", 4 * 2 * 3600)
    stub.stubber.assert_no_pending_responses()


def test_functions_without_provisioned_concurrency_have_no_standing_charge(aws, location, seed):
    make_function(seed, "plain")
    [function] = LambdaFunctionHandler(aws).discover(location, [])
    assert function.attributes["provisioned_sizes"] == {}
    assert LambdaFunctionHandler(aws).usage(function) == ()


def test_discovery_links_each_function_to_its_mappings_and_delete_removes_it(aws, location, seed):
    make_function(seed, "fed")
    make_function(seed, "alone")
    on = add_mapping(seed, "fed", enabled=True)
    off = add_mapping(seed, "fed", enabled=False)
    handler = LambdaFunctionHandler(aws)
    found = {r.id: r for r in handler.discover(location, [])}
    assert {(link.type_key, link.id) for link in found["fed"].links} == {
        ("lambda:event-source-mapping", on),
        ("lambda:event-source-mapping", off),
    }
    assert found["alone"].links == ()
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.DONE}
    assert seed("lambda").list_functions()["Functions"] == []
    # idempotent: a second delete finds them gone
    assert {o.kind for o in handler.delete(location, list(found.values()))} == {OutcomeKind.GONE}


def test_a_function_mid_update_is_not_yet():
    # moto never leaves a function mid-update; AWS answers ResourceConflictException until it settles.
    stub = StubbedClients("lambda")
    stub.error("delete_function", "ResourceConflictException", "An update is in progress for resource")
    [result] = LambdaFunctionHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("lambda:function", "api", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.NOT_YET


def test_a_destroy_deletes_the_mappings_before_their_function(park_sdk, seed):
    make_function(seed, "worker")
    add_mapping(seed, "worker", enabled=True)
    types = ["lambda:function", "lambda:event-source-mapping"]
    plan = park_sdk.plan(types=types, accounts=[park_sdk.whoami()])
    result = park_sdk.destroy(plan, dry_run=False, yes=True)
    assert result.ok, result.task_reasons
    lam = seed("lambda")
    assert (
        lam.list_functions()["Functions"] == []
        and lam.list_event_source_mappings()["EventSourceMappings"] == []
    )


def test_a_function_cloudfront_still_replicates_is_blocked_with_the_reason():
    """moto has no Lambda@Edge: AWS's answer for a function whose CloudFront replicas are not yet
    removed (InvalidParameterValueException, "... because it is a replicated function ...") is
    given with botocore's Stubber. It is BLOCKED (left, never retried, the run not ok), with a
    message that says what it is and what to do, not a generic failure or an hours-long "not yet"."""
    stub = StubbedClients("lambda")
    arn = "arn:aws:lambda:us-east-1:123456789012:function:edge-auth:3"
    stub.error(
        "delete_function",
        "InvalidParameterValueException",
        f"Lambda was unable to delete {arn} because it is a replicated function. Please see our"
        " documentation for Deleting Lambda@Edge Functions and Replicas.",
        {"FunctionName": "edge-auth"},
    )
    [result] = LambdaFunctionHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("lambda:function", "edge-auth", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.BLOCKED and not result.kind.is_retryable
    assert result.message.startswith(
        "replicated by CloudFront (Lambda@Edge): AWS removes replicas hours after the distribution lets"
        " go of it; run destroy again later"
    )
    assert arn in result.message  # AWS's own words follow


def test_other_invalid_parameter_answers_still_fail():
    """Only AWS's replica wording is read as Lambda@Edge (Stubber, as above): another
    InvalidParameterValueException stays a failure."""
    stub = StubbedClients("lambda")
    stub.error("delete_function", "InvalidParameterValueException", "Invalid qualifier")
    [result] = LambdaFunctionHandler(stub).delete(
        Location("1", "us-east-1"), [Resource("lambda:function", "api", "1", "us-east-1")]
    )
    assert result.kind is OutcomeKind.FAILED
