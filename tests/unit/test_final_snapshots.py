"""Which types a destroy deletes with a final snapshot, as the plan reports it."""

from __future__ import annotations

import inspect

from costzero.application.final_snapshots import FinalSnapshots
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import ResourceTypeSpec
from costzero.infrastructure.aws.handlers import HANDLER_TYPES


def test_the_plan_names_only_selected_types_that_keep_a_final_snapshot():
    registry = ResourceRegistry(
        [
            ResourceTypeSpec("rds:db-instance", final_snapshot=True),
            ResourceTypeSpec("redshift:cluster", final_snapshot=True),
            ResourceTypeSpec("ec2:instance"),
        ]
    )
    chosen = FinalSnapshots.of(registry, ("ec2:instance", "redshift:cluster"), skipped=False)
    assert chosen == FinalSnapshots(("redshift:cluster",), skipped=False)
    assert FinalSnapshots.of(registry, ("ec2:instance",), skipped=True).types == ()


def test_the_databases_that_keep_a_final_snapshot():
    """The handlers that read skip_final_snapshot are the types whose spec says so."""
    flagged = {handler.spec.key for handler in HANDLER_TYPES if handler.spec.final_snapshot}
    reading = {
        handler.spec.key
        for handler in HANDLER_TYPES
        if "options.skip_final_snapshot" in inspect.getsource(inspect.getmodule(handler))
    }
    assert flagged == reading == {"rds:db-instance", "rds:db-cluster", "redshift:cluster"}
