"""stop -> start over HTTP through the SDK: originals restored exactly; stop twice is a no-op."""

from __future__ import annotations

import pytest

from costzero.presentation.sdk import CostZero
from tests.integration.park_fixtures import seed_alarm, seed_group, seed_instances

PARKABLE = ["ec2:instance", "autoscaling:group", "cloudwatch:alarm"]


@pytest.fixture
def sdk(park_sdk):
    return park_sdk


@pytest.fixture
def estate(seed):
    instances = seed_instances(seed, 3)
    seed_group(seed, "web", 2, 4, 6, ["AlarmNotification"])
    seed_group(seed, "batch", 0, 1, 3, [])
    seed_alarm(seed, "cpu-high", enabled=True)
    seed_alarm(seed, "cpu-quiet", enabled=False)
    return instances


def settings_of(sdk: CostZero) -> dict[str, dict]:
    plan = sdk.plan_stop(types=PARKABLE)
    return {
        f"{r.type_key}/{r.id}": dict(r.attributes.get("settings", {"?": r.attributes}))
        for r in plan.pipeline.all_resources()
    }


def test_stop_then_start_restores_every_setting_exactly(sdk, estate):
    before = settings_of(sdk)
    account = sdk.whoami()
    stopped = sdk.stop(types=PARKABLE, accounts=[account], dry_run=False, yes=True)
    assert stopped.ok, stopped.task_reasons
    parked = settings_of(sdk)
    assert all(parked[f"ec2:instance/{i}"] == {"state": "stopped"} for i in estate)
    assert parked["autoscaling:group/web"]["desired"] == 0
    assert parked["cloudwatch:alarm/cpu-high"] == {"actions_enabled": False}
    assert stopped.outcomes.get("unmanaged", 0) == 1  # cpu-quiet was already off: no snapshot taken

    started = sdk.start(types=PARKABLE, dry_run=False)
    assert started.ok, started.task_reasons
    assert started.outcomes["restored"] == 3 + 2 + 1
    assert settings_of(sdk) == before


def test_stopping_twice_makes_no_mutating_call_and_start_still_restores(sdk, estate):
    before = settings_of(sdk)
    account = sdk.whoami()
    sdk.stop(types=PARKABLE, accounts=[account], dry_run=False, yes=True)
    calls = dict(sdk.api_calls)
    second = sdk.stop(types=PARKABLE, accounts=[account], dry_run=False, yes=True)
    assert second.ok
    assert sdk.api_calls == calls  # 0 mutating calls the second time
    assert second.outcomes["already-parked"] == 3 + 2 + 1
    assert sdk.start(types=PARKABLE, dry_run=False).ok
    assert settings_of(sdk) == before
    again = sdk.start(types=PARKABLE, dry_run=False)  # nothing parked: a no-op
    assert again.ok and "restored" not in again.outcomes


def test_a_dry_run_shows_before_and_after_and_changes_nothing(sdk, estate):
    result = sdk.stop(types=PARKABLE)
    assert result.outcomes["would-stop"] == 3 + 2 + 1
    assert sdk.api_calls == {}
    run = sdk.run(result.run_id)
    messages = {a["resource_id"]: a["message"] for a in run["actions"]}
    assert (
        messages["web"] == "desired: 4 -> 0, min: 2 -> 0, suspended: ['AlarmNotification'] -> "
        "['AZRebalance', 'AlarmNotification', 'Launch', 'ScheduledActions']"
    )


def test_a_snapshot_whose_resource_is_gone_is_reported_and_kept(sdk, seed):
    [instance] = seed_instances(seed, 1)
    sdk.stop(types=["ec2:instance"], accounts=[sdk.whoami()], dry_run=False, yes=True)
    seed("ec2").terminate_instances(InstanceIds=[instance])
    [row] = sdk.status(types=["ec2:instance"])
    assert (row["id"], row["state"]) == (instance, "gone") and "snapshot is kept" in row["warning"]
    again = sdk.stop(types=["ec2:instance"], accounts=[sdk.whoami()], dry_run=False, yes=True)
    assert again.ok and again.outcomes == {"missing": 1}
    result = sdk.start(types=["ec2:instance"], dry_run=False)
    assert result.outcomes == {"missing": 1}
    exported = sdk.export_state()
    assert [r["id"] for r in exported["resources"]["ec2:instance"]] == [instance]  # nothing lost


def test_state_export_and_import_round_trip_without_overwriting(sdk, seed, tmp_path):
    seed_instances(seed, 2)
    sdk.stop(types=["ec2:instance"], accounts=[sdk.whoami()], dry_run=False, yes=True)
    exported = sdk.export_state()
    assert sdk.import_state(exported) == {
        "imported": [],
        "kept": [
            f"ec2:instance@123456789012/us-east-1/{r['id']}" for r in exported["resources"]["ec2:instance"]
        ],
    }
    with CostZero(
        None,
        endpoint_url=sdk.settings.endpoint_url,
        regions=["us-east-1"],
        database_url=f"sqlite:///{tmp_path / 'other.db'}",
        wait={"budget_seconds": 30, "first_delay": 0.01, "max_delay": 0.05},  # moto settles at once
    ) as other:
        assert len(other.import_state(exported)["imported"]) == 2
        assert other.start(types=["ec2:instance"], dry_run=False).outcomes == {"restored": 2}
