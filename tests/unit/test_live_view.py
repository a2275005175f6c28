"""The live view, fed with run events and rendered to a recording console."""

from datetime import datetime

from rich.console import Console

from costzero.domain.events import EventKind, RunEvent
from costzero.presentation.live import LiveRunView

AT = datetime(2024, 1, 1)
LONG = "DependencyViolation: resource sg-0abc has a dependent object eni-0123456789abcdef0 in subnet-42"


def task(key: str, state: str) -> RunEvent:
    return RunEvent(EventKind.TASK, "run", AT, task_key=key, state=state)


def resource(key: str, resource_id: str, state: str, message: str = "") -> RunEvent:
    return RunEvent(
        EventKind.RESOURCE, "run", AT, task_key=key, resource_id=resource_id, state=state, message=message
    )


def render(view: LiveRunView, width: int = 100) -> str:
    console = Console(record=True, width=width, color_system=None)
    console.print(view.render())
    return console.export_text()


def test_a_destroy_says_what_it_does_hides_skipped_tasks_and_counts_resources():
    now = [0.0]
    view = LiveRunView("destroying", total=7, clock=lambda: now[0])
    for event in (
        task("ec2:instance@1/us-east-1", "running"),
        task("ec2:key-pair@1/us-east-1", "skipped"),
        task("ec2:image@1/us-east-1", "skipped"),
        task("ec2:security-group@1/us-east-1", "waiting"),
        resource("ec2:instance@1/us-east-1", "i-1", "pending"),
        resource("ec2:instance@1/us-east-1", "i-1", "done"),
        resource("ec2:instance@1/us-east-1", "i-2", "done"),
        resource("ec2:instance@1/us-east-1", "i-3", "kept", "tag keep=true"),
        resource("ec2:security-group@1/us-east-1", "sg-0abc", "not-yet", LONG),
        resource("ec2:instance@1/us-east-1", "i-4", "failed", "UnauthorizedOperation"),
        resource("ec2:volume@1/us-east-1", "vol-1", "blocked", "attached to i-3, which is kept"),
    ):
        view(event)
    now[0] = 30.0
    text = render(view)
    assert "destroying 7 resources" in text and "would delete" not in text
    assert "ec2:key-pair" not in text and "2 skipped tasks hidden" in text
    assert "deleted 2, waiting 1, kept 1, failed 2, left 2" in text  # blocked: left behind, a failure
    assert "elapsed 0:30" in text and "ETA 0:12" in text  # 5 settled in 30 s, 2 left
    assert "eni-0123456789abcdef0" in text and "in subnet-42" in text  # wrapped, not cut at 60


def test_stop_and_start_titles_and_their_outcomes():
    view = LiveRunView("stopping", total=2, clock=lambda: 0.0)
    view(task("cloudwatch:alarm@1/us-east-1", "running"))
    view(resource("cloudwatch:alarm@1/us-east-1", "cpu", "parked"))
    text = render(view, width=120)
    assert "stopping 2 resources" in text and "parked 1" in text and "left 1" in text
    assert "ETA" in text
    started = render(LiveRunView("starting", total=0, clock=lambda: 0.0))
    assert "starting 0 resources" in started and "restored 0" in started and "ETA 0:00" in started
