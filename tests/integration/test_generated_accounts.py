"""Destroy against generated accounts: every mix of the types a shape draws, linked as on AWS, over HTTP.

A shape holds the ten original types in the default VPC, and whole networks beside them: VPCs with
subnets, gateways, route tables, ACLs, endpoints, groups, instances, load balancers, databases,
caches, file systems and functions in them, and loose queues, topics, log groups and tables.
Each example resets the moto server, seeds one drawn account and checks, through the SDK:
(a) planning and a dry run make no mutating call and the plan lists exactly what the account holds;
(b) a real destroy of every type in the drawn regions succeeds and leaves nothing but the default
    VPC (re-planned, and counted with plain boto3; a database's final snapshot is kept, as meant:
    rds:db-snapshot is not drawn), each delete after what real AWS makes it wait for;
(c) a second destroy finds nothing and makes no call.
`make test` runs one account with every kind of link (EVERY_LINK), then draws 6 more;
`make soak` draws many more accounts (SOAK_EXAMPLES).
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings

from costzero.presentation.sdk import CostZero
from tests.integration.account_shapes import (
    ALL_TYPES,
    EVERY_LINK,
    AccountShape,
    account_shapes,
    census,
    examples,
    seed_account,
    soaking,
)
from tests.integration.network_shapes import default_network

WAIT = {"budget_seconds": 60, "first_delay": 0.01, "max_delay": 0.05}


def by_type(resources) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {key: set() for key in ALL_TYPES}
    for r in resources:
        # moto leaves Beanstalk's EnvironmentId empty, so the handler's id may be the name: use the name
        found[r.type_key].add(r.name if r.type_key == "elasticbeanstalk:environment" else r.id)
    return found


def assert_real_aws_order(actions: list[dict], links: list[tuple[str, str]]) -> None:
    """Every delete call came after what real AWS makes it wait for was confirmed gone.

    moto deletes an attached volume, a group in use, a snapshot behind an AMI, a subnet with
    interfaces in it or a subnet group in use without a word; AWS answers VolumeInUse /
    DependencyViolation / InvalidSnapshot.InUse / InvalidDBSubnetGroupStateFault. The run's
    resource actions are recorded in the order they happened: a resource's first delete attempt
    must come after the success ("done"/"gone") of everything it is linked behind.
    """
    first_try: dict[str, int] = {}
    gone_at: dict[str, int] = {}
    for n, action in enumerate(actions):
        key = f"{action['task_key'].split('@')[0]}/{action['resource_id']}"
        first_try.setdefault(key, n)
        if action["outcome"] in ("done", "gone"):
            gone_at[key] = n
    early = [(first, then) for first, then in links if not gone_at[first] < first_try[then]]
    assert not early, f"deleted before what it depends on was gone: {early}"


@settings(
    max_examples=examples(6),
    derandomize=not soaking(),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=account_shapes())
@example(shape=EVERY_LINK)
def test_any_account_shape_is_destroyed_completely_and_only_once(
    shape: AccountShape, moto_server, tmp_path_factory
):
    moto_server.reset()
    seeded = seed_account(shape, moto_server.endpoint_url)
    regions = shape.region_names
    defaults = {region: default_network(moto_server.endpoint_url, region) for region in regions}
    held = census(moto_server.endpoint_url, regions)
    made = {key: ids for key, ids in seeded.ids.items() if ids}
    assert made == {key: ids for key, ids in held.items() if ids}, "the seeder made what the shape says"

    database = tmp_path_factory.mktemp("shape") / "runs.db"
    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=regions,
        database_url=f"sqlite:///{database}",
        wait=WAIT,
    ) as sdk:
        account = sdk.whoami()
        # (a) discovery lists exactly what the account holds; a dry run changes nothing
        plan = sdk.plan(types=list(ALL_TYPES), accounts=[account])
        assert not plan.failures, plan.failures
        assert by_type(plan.targets) == held
        dry = sdk.destroy(plan, dry_run=True)
        assert dry.ok and dry.outcomes.get("would-delete", 0) == len(plan.targets)
        assert sdk.api_calls == {}

        # (b) a real destroy of everything succeeds and leaves nothing
        result = sdk.destroy(plan, dry_run=False, yes=True)
        assert result.ok, result.task_reasons
        assert not {s for s in result.task_states.values()} & {"failed", "blocked"}
        assert result.deleted == len(plan.targets), result.outcomes
        assert_real_aws_order(sdk.run(result.run_id)["actions"], seeded.links)
        again = sdk.plan(types=list(ALL_TYPES), accounts=[account])
        assert len(again.targets) == 0, by_type(again.targets)
        left = census(moto_server.endpoint_url, regions)
        assert {key: ids & held[key] for key, ids in left.items() if ids & held[key]} == {}
        # the default VPCs and their subnets stay (no --include-defaults)
        assert {region: default_network(moto_server.endpoint_url, region) for region in regions} == defaults

        # (c) a second destroy has nothing to do
        calls = dict(sdk.api_calls)
        second = sdk.destroy(again, dry_run=False, yes=True)
        assert second.ok, second.task_reasons
        assert second.deleted == 0 and sdk.api_calls == calls
