import pytest

from costzero.application.cleanup import BatchCleanupUseCase, DestroyRequest
from costzero.application.interruption import StopSignal
from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import ProcessingOrchestrator, WaitPolicy
from costzero.application.run_lifecycle import RunLifecycle
from costzero.domain.errors import CloudError, SafetyRefusal, TemporaryCloudError, UnknownSelectionError
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Link, ResourceTypeSpec, Scope
from costzero.domain.safety import SafetyPolicy, TagFilter
from tests.fakes.clock import FakeClock
from tests.fakes.cloud import ACCOUNT, FakeCloud, FakeHandler
from tests.fakes.executor import SimulatedExecutor
from tests.fakes.run_repository import FakeRunRepository

US, EU = "us-east-1", "eu-west-1"
INSTANCE = ResourceTypeSpec("ec2:instance")
VOLUME = ResourceTypeSpec("ec2:volume", requires=("ec2:instance",))
BUCKET = ResourceTypeSpec("s3:bucket", scope=Scope.GLOBAL)


class World:
    def __init__(self):
        self.handlers = {spec.key: FakeHandler(spec) for spec in (INSTANCE, VOLUME, BUCKET)}
        self.clock = FakeClock()
        self.monitor = BatchMonitoringService(self.clock)
        self.executor = SimulatedExecutor(self.clock, lambda key: 1.0)
        self.runs = FakeRunRepository()
        self.cloud = FakeCloud()
        self.events = []
        self.monitor.subscribe(self.events.append)
        self.order = []
        for handler in self.handlers.values():
            original = handler.delete

            def logged(location, resources, _original=original, _key=handler.spec.key):
                self.order.append(_key)
                return _original(location, resources)

            handler.delete = logged
        orchestrator = ProcessingOrchestrator(
            self.executor, self.clock, self.monitor, wait=WaitPolicy(budget_seconds=60, first_delay=1)
        )
        self.stop = StopSignal()
        lifecycle = RunLifecycle(
            self.runs, self.monitor, orchestrator, self.clock, self.stop, new_id=lambda: "run-1"
        )
        self.use_case = BatchCleanupUseCase(
            ResourceRegistry([INSTANCE, VOLUME, BUCKET]),
            self.handlers,
            self.cloud,
            self.executor,
            self.monitor,
            lifecycle,
        )

    def seed(self):
        for region in (US, EU):
            self.handlers["ec2:instance"].add(ACCOUNT, region, f"i-{region}", tags={"team": "a"})
            self.handlers["ec2:volume"].add(ACCOUNT, region, f"vol-{region}", tags={})
        self.handlers["s3:bucket"].add(ACCOUNT, EU, "logs-bucket", tags={"keep": "true"})
        self.handlers["s3:bucket"].add(ACCOUNT, US, "tmp-bucket", tags=None)  # tags unreadable
        return self

    @property
    def mutations(self):
        return sum(h.mutations for h in self.handlers.values())

    def remaining(self):
        return sum(h.remaining() for h in self.handlers.values())


def request(**policy):
    return DestroyRequest(regions=(US, EU), policy=SafetyPolicy(**policy))


def test_a_dry_run_reports_would_delete_and_changes_nothing():
    world = World().seed()
    plan = world.use_case.plan(request())
    result = world.use_case.execute(plan, dry_run=True)
    assert world.mutations == 0
    assert result.outcomes == {"would-delete": 6}
    assert world.runs.runs["run-1"]["status"] == "dry-run"
    assert len(world.runs.actions["run-1"]) == 6


def test_a_real_run_deletes_in_dependency_order_and_records_everything():
    world = World().seed()
    plan = world.use_case.plan(request())
    result = world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    assert result.ok and result.deleted == 6
    assert world.remaining() == 0
    assert world.order.index("ec2:volume") > world.order.index("ec2:instance")
    assert world.runs.runs["run-1"]["status"] == "succeeded"
    outcomes = [a["outcome"] for a in world.runs.actions["run-1"]]
    assert outcomes.count("done") == 6


def test_keep_tags_fail_closed_on_unreadable_tags():
    world = World().seed()
    plan = world.use_case.plan(request(exclude_tags=(TagFilter.parse("keep=true"),)))
    reasons = {k.resource.id: k.reason for k in plan.kept}
    assert reasons == {
        "logs-bucket": "tag keep=true",
        "tmp-bucket": "tags could not be read (kept: fail closed)",
    }
    result = world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    assert result.kept == 2 and result.deleted == 4
    assert {r.id for items in world.handlers["s3:bucket"].resources.values() for r in items} == {
        "logs-bucket",
        "tmp-bucket",
    }


def test_safety_refusals_make_no_mutating_call_and_no_run():
    world = World().seed()
    plan = world.use_case.plan(request(max_resources=5))
    with pytest.raises(SafetyRefusal, match="6 resources"):
        world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    plan = world.use_case.plan(request())
    with pytest.raises(SafetyRefusal, match="did not match"):
        world.use_case.execute(plan, dry_run=False, typed="999")
    with pytest.raises(SafetyRefusal, match="allow-list"):
        world.use_case.execute(plan, dry_run=False, assume_yes=True)
    with pytest.raises(SafetyRefusal, match="block-list"):
        world.use_case.plan(request(blocked_accounts=frozenset({ACCOUNT})))
    assert world.mutations == 0
    assert world.runs.runs == {}


def test_yes_is_accepted_for_an_allow_listed_account():
    world = World().seed()
    plan = world.use_case.plan(request(allowed_accounts=frozenset({ACCOUNT})))
    assert world.use_case.execute(plan, dry_run=False, assume_yes=True).ok


def test_a_failed_discovery_blocks_dependents_but_not_other_work():
    world = World().seed()
    world.handlers["ec2:instance"].discover_error = CloudError("AccessDenied: ec2:DescribeInstances")
    plan = world.use_case.plan(request())
    result = world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    assert not result.ok
    states = result.task_states
    assert states[f"ec2:instance@{ACCOUNT}/{US}"] == "failed"
    assert states[f"ec2:volume@{ACCOUNT}/{US}"] == "blocked"
    assert states[f"s3:bucket@{ACCOUNT}/global"] == "succeeded"
    assert world.handlers["ec2:volume"].mutations == 0


def test_not_yet_is_retried_and_pending_is_confirmed():
    world = World().seed()
    world.handlers["ec2:volume"].not_yet[f"vol-{US}"] = 2
    world.handlers["ec2:instance"].polls[f"i-{US}"] = 3
    plan = world.use_case.plan(request())
    result = world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    assert result.ok and world.remaining() == 0
    assert result.outcomes["not-yet"] == 2
    assert result.outcomes["pending"] == 1  # once when accepted; later polls are not events
    assert result.outcomes["done"] == 6


def test_a_protected_resource_is_left_and_what_is_linked_to_it_is_blocked_without_a_call():
    world = World().seed()
    attached = Link("ec2:instance", f"i-{EU}", "attached to")
    world.handlers["ec2:volume"].add(ACCOUNT, EU, "vol-root", tags={}, links=(attached,))
    world.handlers["ec2:instance"].outcome[f"i-{EU}"] = OutcomeKind.PROTECTED
    plan = world.use_case.plan(request())
    result = world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    assert not result.ok
    assert result.outcomes["protected"] == 1
    assert result.outcomes["blocked"] == 1
    assert "1 left (protected)" in result.task_reasons[f"ec2:instance@{ACCOUNT}/{EU}"]
    # the unlinked volume of the region still goes; the attached one is never tried
    assert f"vol-{EU}" in world.handlers["ec2:volume"].deleted
    assert "vol-root" not in world.handlers["ec2:volume"].deleted
    blocked = [a for a in world.runs.actions["run-1"] if a["outcome"] == "blocked"]
    assert blocked[0]["resource_id"] == "vol-root" and f"attached to i-{EU}" in blocked[0]["message"]


def test_what_a_kept_resource_holds_back_is_planned_as_blocked_and_never_tried():
    world = World().seed()
    world.handlers["ec2:instance"].add(ACCOUNT, US, "i-kept", tags={"keep": "true"})
    world.handlers["ec2:volume"].add(
        ACCOUNT, US, "vol-kept-root", tags={}, links=(Link("ec2:instance", "i-kept", "attached to"),)
    )
    plan = world.use_case.plan(request(exclude_tags=(TagFilter.parse("keep=true"),)))
    assert [(b.resource.id, b.reason) for b in plan.blocked] == [
        ("vol-kept-root", "attached to i-kept, which is kept (tag keep=true)")
    ]
    assert "vol-kept-root" not in {r.id for r in plan.targets}
    result = world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    assert not result.ok and result.blocked == 1 and result.outcomes["blocked"] == 1
    assert "vol-kept-root" not in world.handlers["ec2:volume"].deleted
    assert "i-kept" not in world.handlers["ec2:instance"].deleted
    assert set(result.task_states.values()) <= {"succeeded", "skipped"}  # no wait, no failure


def test_a_link_to_an_unselected_type_holds_the_resource_back():
    world = World().seed()
    world.handlers["ec2:volume"].add(
        ACCOUNT, US, "vol-x", tags={}, links=(Link("ec2:instance", "i-1", "attached to"),)
    )
    plan = world.use_case.plan(DestroyRequest(regions=(US,), types=("ec2:volume",)))
    assert [(b.resource.id, b.reason) for b in plan.blocked] == [
        ("vol-x", "attached to i-1, which is not selected (ec2:instance)")
    ]


def test_a_dependency_error_naming_a_blocker_outside_the_run_ends_at_once_as_blocked():
    world = World().seed()
    volume = world.handlers["ec2:volume"]
    volume.not_yet[f"vol-{US}"] = 100
    volume.blockers[f"vol-{US}"] = ("i-somebody-elses",)
    volume.not_yet[f"vol-{EU}"] = 2
    volume.blockers[f"vol-{EU}"] = (f"i-{EU}",)  # one the run deletes: waited for
    result = world.use_case.execute(world.use_case.plan(request()), dry_run=False, typed=ACCOUNT)
    assert volume.attempts[f"vol-{US}"] == 1
    assert volume.attempts[f"vol-{EU}"] == 3
    assert result.outcomes["blocked"] == 1 and not result.ok
    blocked = next(a for a in world.runs.actions["run-1"] if a["outcome"] == "blocked")
    assert "i-somebody-elses" in blocked["message"]


def test_unknown_regions_are_bad_input():
    world = World()
    with pytest.raises(UnknownSelectionError, match="unknown region 'moon-1'"):
        world.use_case.plan(DestroyRequest(regions=("moon-1",)))
    plan = world.use_case.plan(DestroyRequest(regions=("all",)))
    assert plan.regions == world.cloud.regions


def test_a_failing_call_is_retried_and_fails_the_task_after_three_in_a_row():
    world = World().seed()
    calls = {"n": 0}
    original = world.handlers["ec2:volume"].delete

    def flaky(location, resources):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise TemporaryCloudError("InternalError: try again")
        return original(location, resources)

    world.handlers["ec2:volume"].delete = flaky
    plan = world.use_case.plan(request())
    assert world.use_case.execute(plan, dry_run=False, typed=ACCOUNT).ok

    world = World().seed()

    def broken(location, resources):
        raise TemporaryCloudError("InternalError: down")

    world.handlers["ec2:volume"].delete = broken
    plan = world.use_case.plan(request())
    result = world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    assert result.task_states[f"ec2:volume@{ACCOUNT}/{US}"] == "failed"
    assert "3 failed calls in a row" in result.task_reasons[f"ec2:volume@{ACCOUNT}/{US}"]


@pytest.mark.parametrize(
    ("error", "named"),
    [
        (KeyError("attachments"), "KeyError"),
        (TypeError("unhashable"), "TypeError"),
        (AttributeError("no attribute 'id'"), "AttributeError"),
        (CloudError("AccessDenied: ec2:DeleteVolume"), "AccessDenied"),
    ],
)
def test_a_bug_or_a_final_refusal_fails_the_task_at_the_first_attempt(error, named):
    world = World().seed()
    calls = []

    def broken(location, resources):
        calls.append(location)
        raise error

    world.handlers["ec2:volume"].delete = broken
    result = world.use_case.execute(world.use_case.plan(request()), dry_run=False, typed=ACCOUNT)
    task = f"ec2:volume@{ACCOUNT}/{US}"
    assert result.task_states[task] == "failed"
    assert named in result.task_reasons[task]
    assert len([c for c in calls if c.region == US]) == 1  # never retried as "not yet"


def test_a_stop_request_ends_the_run_as_interrupted_and_resumable():
    world = World().seed()
    stop = world.stop
    original = world.handlers["ec2:instance"].delete

    def stop_after_first(location, resources):
        stop.request()  # Ctrl-C arrives while this call is in flight: it finishes
        return original(location, resources)

    world.handlers["ec2:instance"].delete = stop_after_first
    result = world.use_case.execute(world.use_case.plan(request()), dry_run=False, typed=ACCOUNT)
    assert result.interrupted and not result.ok and result.status == "interrupted"
    assert world.runs.runs["run-1"]["status"] == "interrupted"
    assert world.handlers["ec2:volume"].mutations == 0  # nothing new was started
    assert world.handlers["ec2:instance"].deleted  # the call in flight completed
    # the next run (a resume re-plans) finishes the rest
    world.use_case._lifecycle._new_id = lambda: "run-2"
    rest = world.use_case.execute(world.use_case.plan(request()), dry_run=False, typed=ACCOUNT)
    assert rest.ok and world.remaining() == 0


def test_a_run_that_breaks_is_recorded_failed_with_its_error_not_left_running():
    world = World().seed()

    def broken(*args, **kwargs):
        raise RuntimeError("the scheduler broke")

    world.use_case._lifecycle._orchestrator.run = broken
    keep = request(exclude_tags=(TagFilter.parse("keep=true"),))  # two buckets kept: reported first
    with pytest.raises(RuntimeError):
        world.use_case.execute(world.use_case.plan(keep), dry_run=False, typed=ACCOUNT)
    run = world.runs.runs["run-1"]
    assert run["status"] == "failed" and run["summary"] == {"error": "RuntimeError: the scheduler broke"}
    assert [e["outcome"] for e in world.runs.actions["run-1"]] == ["kept", "kept"]  # history written


def test_a_name_used_in_two_regions_is_two_resources_to_the_run():
    """An instance named `web` in both regions: the one left (protected) in eu-west-1 blocks only the
    volume attached to it there; the us-east-1 volume waits for its own `web` and goes."""
    world = World()
    attached = Link("ec2:instance", "web", "attached to")
    for region in (US, EU):
        world.handlers["ec2:instance"].add(ACCOUNT, region, "web", tags={})
        world.handlers["ec2:volume"].add(ACCOUNT, region, f"vol-{region}", tags={}, links=(attached,))
    instances = world.handlers["ec2:instance"]
    deleting = instances.delete

    def protected_in_eu(location, resources):
        if location.region == EU:
            return [ResourceOutcome(r.id, OutcomeKind.PROTECTED, "termination protection") for r in resources]
        return deleting(location, resources)

    instances.delete = protected_in_eu
    plan = world.use_case.plan(request())
    result = world.use_case.execute(plan, dry_run=False, typed=ACCOUNT)
    assert world.handlers["ec2:volume"].deleted == [f"vol-{US}"]
    blocked = [a for a in world.runs.actions["run-1"] if a["outcome"] == "blocked"]
    assert [a["resource_id"] for a in blocked] == [f"vol-{EU}"]
    assert result.outcomes["protected"] == 1
