"""The least-privilege IAM policy of a selection: what its types' handlers call, and what every
command needs (who am I, which regions), as one policy document."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from costzero.infrastructure.aws.handlers import HANDLER_TYPES

ALWAYS = ("sts:GetCallerIdentity", "ec2:DescribeRegions")  # every command: the account, `--region all`
# destroy lists the stacks even when they are not selected: what a stack created is left to it
STACK_OWNERSHIP = ("cloudformation:DescribeStacks", "cloudformation:ListStackResources")
COST = ("pricing:GetProducts", "ce:GetCostAndUsage")  # `prices refresh`, `cost --actual`
STATE_BACKUP = ("s3:GetObject", "s3:PutObject")  # `state_backup.bucket`, when configured
ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*]+$")


def iam_actions(type_keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each selected type's declared actions."""
    wanted = set(type_keys)
    return {h.spec.key: h.iam_actions for h in HANDLER_TYPES if h.spec.key in wanted}


def policy_document(
    type_keys: Iterable[str], *, cost: bool = True, state_bucket: str | None = None
) -> dict[str, Any]:
    """One statement for the selected types (sorted, deduplicated), one for costzero itself."""
    per_type = iam_actions(type_keys)
    resources = sorted({a for actions in per_type.values() for a in actions})
    own = sorted({*ALWAYS, *STACK_OWNERSHIP, *(COST if cost else ())})
    statements: list[dict[str, Any]] = [
        {"Sid": "CostzeroAccount", "Effect": "Allow", "Action": own, "Resource": "*"},
        {"Sid": "CostzeroResourceTypes", "Effect": "Allow", "Action": resources, "Resource": "*"},
    ]
    if state_bucket:
        statements.append(
            {
                "Sid": "CostzeroStateBackup",
                "Effect": "Allow",
                "Action": list(STATE_BACKUP),
                "Resource": f"arn:aws:s3:::{state_bucket}/*",
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}
