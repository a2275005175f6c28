from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from costzero.application.monitoring import BatchMonitoringService
from costzero.application.orchestrator import (
    ProcessingOrchestrator,
    StepKind,
    TaskStep,
    WaitPolicy,
)
from costzero.application.resource_manager import ConcurrencyLimits
from costzero.domain.planning import Pipeline
from costzero.domain.tasks import Task, TaskKey, TaskState
from tests.fakes.clock import FakeClock
from tests.fakes.executor import SimulatedExecutor, SynchronousExecutor


def key(type_key, region="us-east-1", account="1"):
    return TaskKey(type_key, account, region)


def pipeline(edges):
    return Pipeline({k: Task(k, frozenset(deps)) for k, deps in edges.items()})


def orchestrate(pipe, work, durations=None, limits=None, wait=None):
    clock = FakeClock()
    executor = SimulatedExecutor(clock, lambda k: (durations or {}).get(k, 1.0))
    monitor = BatchMonitoringService(clock)
    events = []
    monitor.subscribe(events.append)
    ProcessingOrchestrator(executor, clock, monitor, limits, wait).run(pipe, work, "run")
    return executor, clock, events


def done(_task):
    return TaskStep(StepKind.DONE)


INSTANCE_US, INSTANCE_EU = key("ec2:instance"), key("ec2:instance", "eu-west-1")
VOLUME_US, VOLUME_EU = key("ec2:volume"), key("ec2:volume", "eu-west-1")
TWO_REGIONS = {INSTANCE_US: [], INSTANCE_EU: [], VOLUME_US: [INSTANCE_US], VOLUME_EU: [INSTANCE_EU]}


def starts(executor):
    first = {}
    for span in executor.spans:
        first.setdefault(span.key, span.start)
    return first


def test_tasks_run_after_their_prerequisites():
    pipe = pipeline(TWO_REGIONS)
    executor, _, _ = orchestrate(pipe, done)
    ends = {s.key: s.end for s in executor.spans}
    assert starts(executor)[VOLUME_US] >= ends[INSTANCE_US]
    assert all(t.state is TaskState.SUCCEEDED for t in pipe.tasks.values())


def test_a_slow_region_does_not_hold_up_another_regions_dependents():
    durations = {INSTANCE_US: 100.0, INSTANCE_EU: 1.0, VOLUME_EU: 1.0, VOLUME_US: 1.0}
    executor, clock, _ = orchestrate(pipeline(TWO_REGIONS), done, durations)
    assert starts(executor)[VOLUME_EU] == 1.0  # not 100: no stage barrier
    assert clock.monotonic() == 101.0


def test_a_failed_task_blocks_its_dependents_transitively():
    sg = key("ec2:security-group")
    pipe = pipeline({INSTANCE_US: [], VOLUME_US: [INSTANCE_US], sg: [VOLUME_US], INSTANCE_EU: []})

    def work(task):
        if task.key == INSTANCE_US:
            return TaskStep(StepKind.FAILED, "AccessDenied")
        return TaskStep(StepKind.DONE)

    executor, _, events = orchestrate(pipe, work)
    assert pipe.tasks[INSTANCE_US].state is TaskState.FAILED
    assert pipe.tasks[VOLUME_US].state is TaskState.BLOCKED
    assert pipe.tasks[sg].state is TaskState.BLOCKED
    assert pipe.tasks[sg].reason == f"blocked by {INSTANCE_US}"  # the root cause
    assert pipe.tasks[INSTANCE_EU].state is TaskState.SUCCEEDED
    assert {s.key for s in executor.spans} == {INSTANCE_US, INSTANCE_EU}
    assert ("blocked", str(sg)) in {(e.state, e.task_key) for e in events}


def test_an_exception_in_work_fails_the_task():
    pipe = pipeline({INSTANCE_US: [], VOLUME_US: [INSTANCE_US]})

    def work(task):
        raise RuntimeError("boom")

    orchestrate(pipe, work)
    assert pipe.tasks[INSTANCE_US].state is TaskState.FAILED
    assert "boom" in pipe.tasks[INSTANCE_US].reason
    assert pipe.tasks[VOLUME_US].state is TaskState.BLOCKED


def test_throttling_is_requeued_with_growing_delays_until_it_succeeds():
    pipe = pipeline({VOLUME_US: []})
    answers = iter([StepKind.RETRY, StepKind.RETRY, StepKind.RETRY, StepKind.DONE])
    wait = WaitPolicy(budget_seconds=100, first_delay=1, max_delay=3, factor=2)
    step = lambda t: TaskStep(next(answers), "Throttling", throttled=True)  # noqa: E731
    executor, _, _ = orchestrate(pipe, step, wait=wait)
    task = pipe.tasks[VOLUME_US]
    assert task.state is TaskState.SUCCEEDED
    assert task.attempts == 4
    # attempts take 1s each; delays 1, 2, 3 (capped) between them
    assert [s.start for s in executor.spans] == [0.0, 2.0, 5.0, 9.0]


def test_a_plain_not_yet_is_tried_again_after_a_constant_short_delay():
    pipe = pipeline({VOLUME_US: []})
    answers = iter([StepKind.RETRY, StepKind.RETRY, StepKind.RETRY, StepKind.DONE])
    wait = WaitPolicy(budget_seconds=100, first_delay=1, max_delay=3, factor=2)
    executor, _, _ = orchestrate(pipe, lambda t: TaskStep(next(answers), "in use"), wait=wait)
    assert [s.start for s in executor.spans] == [0.0, 2.0, 4.0, 6.0]


def test_a_transition_is_checked_when_it_is_likely_done_then_in_short_constant_polls():
    pipe = pipeline({INSTANCE_US: []})
    answers = iter([StepKind.RETRY] * 4 + [StepKind.DONE])
    wait = WaitPolicy(budget_seconds=100, first_delay=1, max_delay=30, min_poll=0.25, poll_fraction=0.1)

    def work(task):
        return TaskStep(next(answers), "shutting-down", transitions=True, expected_seconds=20)

    executor, _, _ = orchestrate(pipe, work, wait=wait)
    # the first attempt (0-1s) set a 20s transition going: checked at 21, then every 2s (20 x 0.1)
    assert [s.start for s in executor.spans] == [0.0, 21.0, 24.0, 27.0, 30.0]


def test_no_check_is_further_away_than_the_longest_delay_nor_past_the_budget():
    pipe = pipeline({INSTANCE_US: []})
    wait = WaitPolicy(budget_seconds=40, max_delay=15, poll_fraction=0.1)

    def work(task):
        return TaskStep(StepKind.RETRY, "Terminating", transitions=True, expected_seconds=300)

    executor, _, _ = orchestrate(pipe, work, wait=wait)
    # 300s expected: looked at every 15s, the last look at the budget's end (40s), then given up
    assert [s.start for s in executor.spans] == [0.0, 16.0, 32.0, 40.0]
    assert "gave up" in pipe.tasks[INSTANCE_US].reason


def test_a_short_transition_is_polled_briefly_and_the_policy_can_override_its_expected_time():
    pipe = pipeline({VOLUME_US: []})
    answers = iter([StepKind.RETRY, StepKind.RETRY, StepKind.DONE])
    wait = WaitPolicy(min_poll=0.5, poll_fraction=0.1, transitions={"ec2:volume": 3})

    def work(task):
        return TaskStep(next(answers), "deleting", transitions=True, expected_seconds=300)

    executor, _, _ = orchestrate(pipe, work, wait=wait)
    # 3s (the override, not the hinted 300s) after the first attempt started it, then 0.5s polls
    assert [s.start for s in executor.spans] == [0.0, 4.0, 5.5]


def test_a_task_waiting_on_another_is_woken_by_its_progress_not_by_a_timer():
    pipe = Pipeline(
        {INSTANCE_US: Task(INSTANCE_US), VOLUME_US: Task(VOLUME_US, follows=frozenset({INSTANCE_US}))}
    )
    instance_answers = iter(
        [
            TaskStep(StepKind.RETRY, "terminating", transitions=True, expected_seconds=30, progressed=False),
            TaskStep(StepKind.RETRY, "one gone", transitions=True, expected_seconds=30),
            TaskStep(StepKind.RETRY, "none gone", transitions=True, expected_seconds=30, progressed=False),
            TaskStep(StepKind.DONE),
        ]
    )
    volume_answers = iter(
        [
            TaskStep(StepKind.RETRY, "attached", waits_on=frozenset({INSTANCE_US}), progressed=False),
            TaskStep(StepKind.RETRY, "one attached", waits_on=frozenset({INSTANCE_US})),
            TaskStep(StepKind.DONE),
        ]
    )

    def work(task):
        return next(instance_answers if task.key == INSTANCE_US else volume_answers)

    wait = WaitPolicy(budget_seconds=100, max_delay=60, poll_fraction=0.1, min_poll=1)
    executor, _, _ = orchestrate(pipe, work, wait=wait)
    instance_spans = [s for s in executor.spans if s.key == INSTANCE_US]
    volume_spans = [s for s in executor.spans if s.key == VOLUME_US]
    assert [s.start for s in instance_spans] == [0.0, 31.0, 35.0, 39.0]
    # started at once beside the instance task; then woken only when an instance attempt that
    # made progress ended (at 32s), and by its end (40s): never by a timer
    assert [s.start for s in volume_spans] == [0.0, 32.0, 40.0]
    assert all(t.state is TaskState.SUCCEEDED for t in pipe.tasks.values())


def test_waiting_on_another_task_spends_no_wait_budget():
    environment = key("elasticbeanstalk:environment")
    pipe = Pipeline(
        {
            environment: Task(environment),
            INSTANCE_US: Task(INSTANCE_US, frozenset({environment})),
            VOLUME_US: Task(VOLUME_US, follows=frozenset({INSTANCE_US})),
        }
    )
    volume_answers = iter([TaskStep(StepKind.RETRY, "attached", waits_on=frozenset({INSTANCE_US}))])

    def work(task):
        return next(volume_answers, TaskStep(StepKind.DONE)) if task.key == VOLUME_US else done(task)

    durations = {environment: 30.0, INSTANCE_US: 1.0, VOLUME_US: 1.0}
    executor, _, _ = orchestrate(pipe, work, durations, wait=WaitPolicy(budget_seconds=10))
    assert pipe.tasks[VOLUME_US].state is TaskState.SUCCEEDED  # after waiting 30s on a 10s budget
    assert [s.start for s in executor.spans if s.key == VOLUME_US] == [0.0, 31.0]


def test_a_failed_followed_task_does_not_block_its_followers():
    pipe = Pipeline(
        {INSTANCE_US: Task(INSTANCE_US), VOLUME_US: Task(VOLUME_US, follows=frozenset({INSTANCE_US}))}
    )
    settled = []

    def work(task):
        if task.key == INSTANCE_US:
            return TaskStep(StepKind.FAILED, "AccessDenied")
        if not settled:
            return TaskStep(StepKind.RETRY, "attached", waits_on=frozenset({INSTANCE_US}))
        return TaskStep(StepKind.DONE, "the rest deleted")

    clock = FakeClock()
    executor = SimulatedExecutor(clock, lambda k: 1.0)
    orchestrator = ProcessingOrchestrator(executor, clock, BatchMonitoringService(clock))
    orchestrator.run(pipe, work, "run", on_settled=lambda k, s: settled.append((k, s)))
    assert settled == [(INSTANCE_US, TaskState.FAILED)]
    assert pipe.tasks[INSTANCE_US].state is TaskState.FAILED
    assert pipe.tasks[VOLUME_US].state is TaskState.SUCCEEDED


def test_the_wait_budget_fails_the_task_and_blocks_dependents():
    pipe = pipeline({INSTANCE_US: [], VOLUME_US: [INSTANCE_US]})
    wait = WaitPolicy(budget_seconds=10, first_delay=1, max_delay=2, factor=2)
    _, clock, _ = orchestrate(pipe, lambda t: TaskStep(StepKind.RETRY, "still terminating"), wait=wait)
    task = pipe.tasks[INSTANCE_US]
    assert task.state is TaskState.FAILED
    assert "gave up after waiting" in task.reason and "still terminating" in task.reason
    assert pipe.tasks[VOLUME_US].state is TaskState.BLOCKED
    assert clock.monotonic() <= 10 + 1


def test_concurrency_is_capped_overall_and_per_service_group():
    edges = {key(f"ec2:t{i}"): [] for i in range(6)} | {key(f"s3:t{i}"): [] for i in range(6)}
    limits = ConcurrencyLimits(max_running=5, per_group=2)
    clock = FakeClock()
    executor = SimulatedExecutor(clock, lambda k: 1.0)
    running = defaultdict(int)
    peak = defaultdict(int)

    monitor = BatchMonitoringService(clock)

    def track(event):
        group = event.task_key.split(":")[0]
        if event.state == "running":
            running[group] += 1
            running["all"] += 1
        elif event.state == "succeeded":
            running[group] -= 1
            running["all"] -= 1
        for name, value in running.items():
            peak[name] = max(peak[name], value)

    monitor.subscribe(track)
    ProcessingOrchestrator(executor, clock, monitor, limits).run(pipeline(edges), done, "run")
    assert peak["ec2"] == 2 and peak["s3"] == 2 and peak["all"] == 4
    assert clock.monotonic() == 3.0  # 6 tasks per group, 2 at a time


def test_longest_chains_are_dispatched_first():
    chain = [key(f"a:c{i}") for i in range(3)]
    edges = {chain[0]: [], chain[1]: [chain[0]], chain[2]: [chain[1]], key("z:leaf"): []}
    executor = SynchronousExecutor()
    clock = FakeClock()
    ProcessingOrchestrator(executor, clock, BatchMonitoringService(clock), ConcurrencyLimits(1, 1)).run(
        pipeline(edges), done, "run"
    )
    assert executor.submitted[0] == chain[0]


@st.composite
def dags(draw):
    count = draw(st.integers(1, 25))
    keys = [
        key(f"s{draw(st.integers(0, 3))}:t{i}", draw(st.sampled_from(["r1", "r2"]))) for i in range(count)
    ]
    edges = {}
    for index, task_key in enumerate(keys):
        earlier = keys[:index]
        edges[task_key] = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=4)) if earlier else []
    durations = {k: draw(st.floats(0.1, 50)) for k in keys}
    retries = {k: draw(st.integers(0, 2)) for k in keys}
    limits = ConcurrencyLimits(draw(st.integers(1, 6)), draw(st.integers(1, 3)))
    return edges, durations, retries, limits


@settings(max_examples=150, deadline=None)
@given(dags())
def test_property_no_task_starts_before_its_prerequisites_end(case):
    edges, durations, retries, limits = case
    left = dict(retries)

    def work(task):
        if left[task.key] > 0:
            left[task.key] -= 1
            return TaskStep(StepKind.RETRY, "not yet")
        return TaskStep(StepKind.DONE)

    pipe = pipeline(edges)
    executor, _, _ = orchestrate(pipe, work, durations, limits, WaitPolicy(budget_seconds=10_000))
    ends = defaultdict(float)
    for span in executor.spans:
        ends[span.key] = max(ends[span.key], span.end)
    for span in executor.spans:
        for prerequisite in edges[span.key]:
            assert span.start >= ends[prerequisite]
    assert all(t.state is TaskState.SUCCEEDED for t in pipe.tasks.values())


def test_a_task_waiting_on_one_that_can_never_progress_fails_instead_of_hanging():
    """A work bug: the volume task says it waits on a task that waits for it to succeed."""
    pipe = Pipeline({VOLUME_US: Task(VOLUME_US), INSTANCE_US: Task(INSTANCE_US, frozenset({VOLUME_US}))})

    def work(task):
        return TaskStep(StepKind.RETRY, "attached", waits_on=frozenset({INSTANCE_US}))

    orchestrate(pipe, work)
    assert pipe.tasks[VOLUME_US].state is TaskState.FAILED
    assert "can no longer make progress" in pipe.tasks[VOLUME_US].reason
    assert pipe.tasks[INSTANCE_US].state is TaskState.BLOCKED
