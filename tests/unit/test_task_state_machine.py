import pytest

from costzero.domain.errors import IllegalTransitionError
from costzero.domain.tasks import Task, TaskKey, TaskState

KEY = TaskKey("ec2:volume", "1", "us-east-1")


def test_a_task_runs_waits_and_succeeds():
    task = Task(KEY)
    task.move(TaskState.RUNNING)
    task.move(TaskState.WAITING, "DependencyViolation")
    task.move(TaskState.RUNNING)
    task.move(TaskState.SUCCEEDED)
    assert task.attempts == 2
    assert task.history == [TaskState.PLANNED, TaskState.RUNNING, TaskState.WAITING, TaskState.RUNNING]
    assert task.state.is_final


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], TaskState.SUCCEEDED),
        ([], TaskState.WAITING),
        ([TaskState.RUNNING, TaskState.SUCCEEDED], TaskState.RUNNING),
        ([TaskState.BLOCKED], TaskState.RUNNING),
        ([TaskState.SKIPPED], TaskState.FAILED),
        ([TaskState.RUNNING, TaskState.FAILED], TaskState.SUCCEEDED),
        ([TaskState.RUNNING, TaskState.WAITING], TaskState.SUCCEEDED),
    ],
)
def test_illegal_transitions_raise(path, illegal):
    task = Task(KEY)
    for state in path:
        task.move(state)
    with pytest.raises(IllegalTransitionError, match=f"to {illegal}"):
        task.move(illegal)
