"""Resource-level dependencies in a destroy, through the use case and fakes on a simulated clock.

Each attempt of a task takes 1 simulated second (its calls are made, and its events stamped, when
it starts; the orchestrator learns its outcome when it ends); a FakeHandler's `polls[id] = n` keeps a resource
"going away" for n confirmations, so a slow transition is a resource with many polls.
"""

from __future__ import annotations

from costzero.application.cleanup import BatchCleanupUseCase, DestroyRequest
from costzero.application.monitoring import BatchMonitoringService, EventKind
from costzero.application.orchestrator import ProcessingOrchestrator, WaitPolicy
from costzero.application.run_lifecycle import RunLifecycle
from costzero.domain.outcomes import OutcomeKind
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Link, ResourceTypeSpec
from costzero.domain.safety import SafetyPolicy
from tests.fakes.clock import FakeClock
from tests.fakes.cloud import ACCOUNT, FakeCloud, FakeHandler
from tests.fakes.executor import SimulatedExecutor
from tests.fakes.run_repository import FakeRunRepository

US = "us-east-1"
ENVIRONMENT = ResourceTypeSpec("elasticbeanstalk:environment", transition_seconds=1)


def instance_spec(linked: bool) -> ResourceTypeSpec:
    env = ("elasticbeanstalk:environment",)
    return ResourceTypeSpec(
        "ec2:instance", requires=env, linked_requires=env if linked else (), transition_seconds=1
    )


VOLUME = ResourceTypeSpec("ec2:volume", requires=("ec2:instance",), linked_requires=("ec2:instance",))
# the environment edge is not covered by links: a type-level barrier
GROUP = ResourceTypeSpec(
    "ec2:security-group",
    requires=("ec2:instance", "elasticbeanstalk:environment"),
    linked_requires=("ec2:instance",),
)


class World:
    def __init__(self, *specs: ResourceTypeSpec) -> None:
        self.handlers = {spec.key: FakeHandler(spec) for spec in specs}
        self.clock = FakeClock()
        self.monitor = BatchMonitoringService(self.clock)
        self.events = []
        self.monitor.subscribe(self.events.append)
        executor = SimulatedExecutor(self.clock, lambda key: 1.0)
        wait = WaitPolicy(budget_seconds=600, first_delay=1, min_poll=1)
        orchestrator = ProcessingOrchestrator(executor, self.clock, self.monitor, wait=wait)
        lifecycle = RunLifecycle(
            FakeRunRepository(), self.monitor, orchestrator, self.clock, new_id=lambda: "run-1"
        )
        self.use_case = BatchCleanupUseCase(
            ResourceRegistry(specs),
            self.handlers,
            FakeCloud(regions=(US,)),
            executor,
            self.monitor,
            lifecycle,
        )

    def add(self, type_key: str, resource_id: str, links: tuple[Link, ...] = (), polls: int = 0) -> None:
        self.handlers[type_key].add(ACCOUNT, US, resource_id, tags={}, links=links)
        if polls:
            self.handlers[type_key].polls[resource_id] = polls

    def destroy(self):
        policy = SafetyPolicy(allowed_accounts=frozenset({ACCOUNT}))
        plan = self.use_case.plan(DestroyRequest(regions=(US,), policy=policy))
        self.t0 = self.clock.monotonic()  # times below count from the start of the destroy
        return self.use_case.execute(plan, dry_run=False, assume_yes=True)

    def _times(self, match) -> list[float]:
        end = self.clock.now()
        return [
            self.clock.monotonic() - self.t0 - (end - e.at).total_seconds() for e in self.events if match(e)
        ]

    def when(self, resource_id: str, state: str) -> float:
        """The simulated time of the resource's `state` event (done, pending, blocked ...)."""
        times = self._times(
            lambda e: e.kind is EventKind.RESOURCE and e.resource_id == resource_id and e.state == state
        )
        assert len(times) == 1, f"{resource_id}: {state} seen {len(times)} times"
        return times[0]

    def task_ended(self, type_key: str) -> float:
        times = self._times(
            lambda e: (
                e.kind is EventKind.TASK and e.task_key.startswith(type_key + "@") and e.state == "succeeded"
            )
        )
        assert len(times) == 1
        return times[0]


def beanstalk_world(linked: bool) -> World:
    world = World(ENVIRONMENT, instance_spec(linked))
    world.add("elasticbeanstalk:environment", "e-slow", polls=30)
    for n in range(3):
        world.add("ec2:instance", f"i-free{n}", polls=2)
    return world


def test_instances_of_no_environment_are_gone_before_a_slow_environment_terminates():
    world = beanstalk_world(linked=True)
    result = world.destroy()
    assert result.ok and result.deleted == 4
    assert world.task_ended("ec2:instance") < world.when("e-slow", "done")
    assert world.when("i-free0", "pending") == 0.0  # terminated at once, not after the environment
    assert world.handlers["ec2:instance"].mutations == 1  # one TerminateInstances for all three


def test_with_type_level_requires_only_the_same_instances_wait_for_the_environment():
    world = beanstalk_world(linked=False)
    assert world.destroy().ok
    assert world.when("i-free0", "pending") >= world.when("e-slow", "done")


def test_an_instance_of_an_environment_is_terminated_once_its_environment_is_gone():
    world = beanstalk_world(linked=True)
    world.add("ec2:instance", "i-owned", (Link("elasticbeanstalk:environment", "e-slow", "belongs to"),))
    assert world.destroy().ok
    # woken as the environment's confirming attempt ends, not on a poll
    assert world.when("i-owned", "done") == world.when("e-slow", "done") + 1
    assert world.when("i-free0", "pending") == 0.0


def test_a_volume_attached_to_a_gone_instance_is_deleted_while_another_is_still_shutting_down():
    world = World(ENVIRONMENT, instance_spec(True), VOLUME)
    world.add("ec2:instance", "i-a", polls=1)
    world.add("ec2:instance", "i-b", polls=20)
    world.add("ec2:volume", "vol-a", (Link("ec2:instance", "i-a", "attached to"),))
    world.add("ec2:volume", "vol-b", (Link("ec2:instance", "i-b", "attached to"),))
    world.add("ec2:volume", "vol-free")
    assert world.destroy().ok
    a_gone, b_gone = world.when("i-a", "done"), world.when("i-b", "done")
    assert world.when("vol-free", "done") == 0.0
    assert world.when("vol-a", "done") == a_gone + 1  # woken as i-a's confirming attempt ends
    assert a_gone < b_gone
    assert world.when("vol-b", "done") == b_gone + 1
    assert world.handlers["ec2:instance"].mutations == 1


def test_an_uncovered_edge_still_waits_for_the_whole_prerequisite_task():
    world = World(ENVIRONMENT, instance_spec(True), GROUP)
    world.add("elasticbeanstalk:environment", "e-slow", polls=10)
    world.add("ec2:instance", "i-a")
    world.add("ec2:security-group", "sg-free")  # used by nothing, yet the environment edge holds
    world.add("ec2:security-group", "sg-a", (Link("ec2:instance", "i-a", "used by"),))
    assert world.destroy().ok
    env_done = world.task_ended("elasticbeanstalk:environment")
    assert world.when("sg-free", "done") >= env_done
    assert world.when("sg-a", "done") >= env_done


def test_what_links_to_a_resource_of_a_failed_task_is_blocked_and_the_rest_goes():
    world = World(ENVIRONMENT, instance_spec(True), VOLUME)
    world.add("ec2:instance", "i-denied")
    world.handlers["ec2:instance"].outcome["i-denied"] = OutcomeKind.DENIED
    world.add("ec2:volume", "vol-held", (Link("ec2:instance", "i-denied", "attached to"),))
    world.add("ec2:volume", "vol-free")
    result = world.destroy()
    assert result.task_states[f"ec2:instance@{ACCOUNT}/{US}"] == "failed"
    assert world.when("vol-free", "done") == 0.0
    assert world.when("vol-held", "blocked") >= world.when("i-denied", "denied")
    assert world.handlers["ec2:volume"].attempts == {"vol-free": 1}  # the held one never tried


def test_a_task_failing_with_resources_unsettled_blocks_what_waits_on_them():
    """The instance task gives up (wait budget) with i-stuck still shutting down: the volume
    attached to it is blocked, not left waiting."""
    world = World(ENVIRONMENT, instance_spec(True), VOLUME)
    world.add("ec2:instance", "i-stuck", polls=10_000)
    world.add("ec2:volume", "vol-stuck", (Link("ec2:instance", "i-stuck", "attached to"),))
    result = world.destroy()
    assert "gave up" in result.task_reasons[f"ec2:instance@{ACCOUNT}/{US}"]
    assert result.task_states[f"ec2:volume@{ACCOUNT}/{US}"] == "succeeded"
    assert world.when("vol-stuck", "blocked") > 600
    assert world.handlers["ec2:volume"].attempts == {}
