"""How many calls a request makes inside costzero, from the command to the boto3 call: the hop
counts that docs/architecture.md reports. A hop is one call between costzero functions on the
path (the hand-off of a task to a worker thread counts as one); issue 8 asked for fewer than 13
(destroy) and 15 (stop), the counts before the run lifecycle and the resource-level scheduler."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path

import botocore.client
import pytest

import costzero
from costzero.infrastructure.demo_seed import seed_region
from costzero.infrastructure.executors import ThreadPoolTaskExecutor
from tests.e2e.running import account_of, invoke

PACKAGE = Path(costzero.__file__).resolve().parent.parent.parent / "src"  # pkg/costzero -> src
ROOT = PACKAGE.parent
MUTATING = ("Terminate", "Delete", "Deregister", "Release", "Revoke", "Stop")


def _ours(stack: traceback.StackSummary) -> list[str]:
    """The costzero frames of a stack, outermost first, as module:function."""
    frames = []
    for frame in stack:
        path = Path(frame.filename).resolve()
        if path.is_relative_to(PACKAGE) or path == ROOT / "containers.py":
            frames.append(f"{path.relative_to(ROOT)}:{frame.name}")
    return frames


@pytest.fixture
def first_call_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[str]]]:
    """The costzero frames from the command to the first mutating AWS call: those of the main
    thread when the orchestrator hands the task to a worker, then those of the worker."""
    seen: dict[str, list[str]] = {}
    make_api_call = botocore.client.BaseClient._make_api_call
    submit = ThreadPoolTaskExecutor.submit

    def spy_call(client, operation, params):  # type: ignore[no-untyped-def]
        if "armed" in seen and operation.startswith(MUTATING) and "worker" not in seen:
            seen["worker"] = _ours(traceback.extract_stack())
            seen["operation"] = [operation]
        return make_api_call(client, operation, params)

    def spy_submit(executor, key, work):  # type: ignore[no-untyped-def]
        frames = _ours(traceback.extract_stack())
        if "armed" in seen and any("scheduling" in f for f in frames):
            seen.setdefault("main", frames)
        return submit(executor, key, work)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", spy_call)
    monkeypatch.setattr(ThreadPoolTaskExecutor, "submit", spy_submit)
    yield seen


@pytest.mark.parametrize(("command", "fewer_than"), [("destroy", 13), ("stop", 15)])
def test_a_request_reaches_aws_in_fewer_hops_than_before(
    blank, moto_server, first_call_path, command, fewer_than
):
    seed_region(moto_server.endpoint_url, "us-east-1")  # its own account: this run changes it
    account = account_of(blank)
    first_call_path["armed"] = []
    result = invoke(command, "--no-dry-run", "--yes", "--account", account, "--no-live")
    assert result.exit_code == 0, result.output
    main, worker = first_call_path["main"], first_call_path["worker"]
    assert main[0].endswith(f":{command}") and "scheduling" in main[-1], main
    assert "scheduling" in worker[0], worker
    hops = len(main) + len(worker) - 1  # calls between the frames; the hand-off is one of them
    assert hops < fewer_than, "\n".join([*main, "-- worker --", *worker])
