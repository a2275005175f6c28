"""`costzero iam-policy`: one JSON policy document with the selected types' actions and what every
command needs; an unknown type is one line, exit 2."""

from __future__ import annotations

import json

from tests.e2e.running import invoke


def test_the_policy_of_a_selection_holds_its_types_actions_and_nothing_else(cli_env):
    result = invoke("iam-policy", "--type", "ec2:volume", "--no-cost")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["Version"] == "2012-10-17"
    own, types = document["Statement"]
    # destroy reads the stacks, selected or not: what a stack created is left to it
    assert own["Action"] == [
        "cloudformation:DescribeStacks",
        "cloudformation:ListStackResources",
        "ec2:DescribeRegions",
        "sts:GetCallerIdentity",
    ]
    assert types["Action"] == ["ec2:DeleteVolume", "ec2:DescribeVolumes"]
    everything = json.loads(invoke("iam-policy").stdout)
    assert {"pricing:GetProducts", "ce:GetCostAndUsage"} <= set(everything["Statement"][0]["Action"])
    assert {"s3:DeleteBucket", "ec2:DeleteVolume"} <= set(everything["Statement"][1]["Action"])


def test_an_unknown_type_is_one_line(cli_env):
    result = invoke("iam-policy", "--type", "ec2:nothing")
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.count("\n") == 1
