"""--disable-protection and --include-defaults: an unknown type is refused in one line before anything
is listed; the plan says which types' protection a destroy may turn off."""

from __future__ import annotations

import json

from tests.e2e.running import invoke


def test_an_unknown_type_to_disable_protection_of_is_refused(cli_env):
    result = invoke("plan", "destroy", "--disable-protection", "ec2:nothing")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "unknown type 'ec2:nothing'" in result.stderr


def test_the_plan_names_the_protection_it_may_turn_off(demo_account):
    args = ("plan", "destroy", "--type", "ec2:instance", "--disable-protection", "ec2:instance")
    result = invoke(*args, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["disable_protection"] == ["ec2:instance"]
    table = invoke(*args, "--include-defaults")
    assert "protection of ec2:instance will be turned off to delete" in table.stdout
