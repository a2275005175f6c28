"""Generated estates for the parking tests: every parkable type, 0 to 2 of each, in varied states."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from tests.integration.park_fixtures import (
    add_mapping,
    create_postgres,
    make_function,
    seed_alarm,
    seed_db_cluster,
    seed_endpoint,
    seed_group,
    seed_instances,
    seed_nodegroup,
    seed_notebook,
    seed_service,
    seed_stream,
    seed_table,
)

PARKABLE_TYPES = (
    "ec2:instance",
    "autoscaling:group",
    "cloudwatch:alarm",
    "lambda:function",
    "kinesis:stream",
    "dynamodb:table",
    "ecs:service",
    "rds:db-instance",
    "rds:db-cluster",
    "sagemaker:endpoint",
    "sagemaker:notebook-instance",
    "eks:nodegroup",
)
MAX_PER_TYPE = 2
PROCESSES = ("AlarmNotification", "AZRebalance", "HealthCheck", "Launch", "ScheduledActions")


@dataclass(frozen=True)
class Sizes:
    min: int
    desired: int
    max: int


@dataclass(frozen=True)
class Function:
    reserved: int | None  # reserved concurrency: unset, 0 (looks parked already) or some
    mappings: tuple[bool, ...]  # its SQS event source mappings, enabled or not


@dataclass(frozen=True)
class ParkShape:
    instances: tuple[bool, ...] = ()  # running (False: stopped already)
    groups: tuple[tuple[Sizes, tuple[str, ...]], ...] = ()  # sizes and suspended processes
    alarms: tuple[bool, ...] = ()  # actions enabled
    functions: tuple[Function, ...] = ()
    streams: tuple[int | None, ...] = ()  # provisioned shard count, None: on-demand
    tables: tuple[bool, ...] = ()  # provisioned with a GSI and auto-scaling (False: on-demand)
    services: tuple[int, ...] = ()  # desired count
    db_instances: tuple[bool, ...] = ()  # available (False: stopped already)
    db_clusters: int = 0
    endpoints: int = 0
    notebooks: tuple[bool, ...] = ()  # in service (False: stopped already)
    nodegroups: tuple[Sizes, ...] = ()

    @property
    def size(self) -> int:
        """How many parkable resources the estate holds (not an Auto Scaling group's instances,
        a DB cluster's members, nor the alarms of a table's auto-scaling)."""
        counts = [len(v) if isinstance(v, tuple) else v for v in vars(self).values()]
        return sum(counts)


def _some(element: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(element, max_size=MAX_PER_TYPE).map(tuple)


@st.composite
def _sizes(draw: st.DrawFn) -> Sizes:
    bounds = sorted(draw(st.lists(st.integers(0, 4), min_size=3, max_size=3)))
    return Sizes(bounds[0], bounds[1], max(1, bounds[2]))


@st.composite
def park_shapes(draw: st.DrawFn) -> ParkShape:
    suspended = st.sets(st.sampled_from(PROCESSES), max_size=2).map(lambda s: tuple(sorted(s)))
    return ParkShape(
        instances=draw(_some(st.booleans())),
        groups=draw(_some(st.tuples(_sizes(), suspended))),
        alarms=draw(_some(st.booleans())),
        functions=draw(
            _some(
                st.builds(
                    Function,
                    st.sampled_from([None, 0, 5]),
                    st.sets(st.booleans()).map(lambda s: tuple(sorted(s))),
                )
            )
        ),
        streams=draw(_some(st.sampled_from([None, 1, 2, 3, 4]))),
        tables=draw(_some(st.booleans())),
        services=draw(_some(st.integers(0, 3))),
        db_instances=draw(_some(st.booleans())),
        db_clusters=draw(st.integers(0, MAX_PER_TYPE)),
        endpoints=draw(st.integers(0, MAX_PER_TYPE)),
        notebooks=draw(_some(st.booleans())),
        nodegroups=draw(_some(_sizes())),
    )


# Every parkable type in each of its states, in one estate: `make test` runs it before the few
# drawn estates, so that fewer draws lose no case (hypothesis runs an @example first).
EVERY_STATE = ParkShape(
    instances=(True, False),
    groups=((Sizes(1, 2, 4), ("AlarmNotification", "Launch")), (Sizes(0, 0, 1), ())),
    alarms=(True, False),
    functions=(Function(None, (False, True)), Function(0, ()), Function(5, (True,))),
    streams=(None, 3),
    tables=(True, False),
    services=(0, 2),
    db_instances=(True, False),
    db_clusters=1,
    endpoints=1,
    notebooks=(True, False),
    nodegroups=(Sizes(1, 2, 3), Sizes(0, 0, 1)),
)


def seed_estate(shape: ParkShape, seed: Any) -> None:
    """Create the estate with the park fixtures (plain boto3 clients from `seed`)."""
    ec2 = seed("ec2")
    instances = seed_instances(seed, len(shape.instances)) if shape.instances else []
    stopped = [i for i, running in zip(instances, shape.instances, strict=True) if not running]
    if stopped:
        ec2.stop_instances(InstanceIds=stopped)
    for n, (sizes, suspended) in enumerate(shape.groups):
        seed_group(seed, f"asg-{n}", sizes.min, sizes.desired, sizes.max, list(suspended))
    for n, enabled in enumerate(shape.alarms):
        seed_alarm(seed, f"alarm-{n}", enabled)
    for n, function in enumerate(shape.functions):
        make_function(seed, f"fn-{n}", reserved=function.reserved)
        for enabled in function.mappings:
            add_mapping(seed, f"fn-{n}", enabled)
    for n, shards in enumerate(shape.streams):
        seed_stream(seed, f"stream-{n}", shards)
    for n, provisioned in enumerate(shape.tables):
        if provisioned:
            seed_table(seed, f"table-{n}")
        else:
            seed("dynamodb").create_table(
                TableName=f"table-{n}",
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            )
    for n, desired in enumerate(shape.services):
        seed_service(seed, f"svc-{n}", desired)
    rds = seed("rds")
    for n, available in enumerate(shape.db_instances):
        create_postgres(rds, f"db-{n}")
        if not available:
            rds.stop_db_instance(DBInstanceIdentifier=f"db-{n}")
    for n in range(shape.db_clusters):
        seed_db_cluster(seed, f"cluster-{n}")
    for n in range(shape.endpoints):
        seed_endpoint(seed, f"endpoint-{n}")
    sagemaker = seed("sagemaker")
    for n, in_service in enumerate(shape.notebooks):
        seed_notebook(seed, f"notebook-{n}")
        if not in_service:
            sagemaker.stop_notebook_instance(NotebookInstanceName=f"notebook-{n}")
    for n, sizes in enumerate(shape.nodegroups):
        seed_nodegroup(seed, f"nodes-{n}", sizes.min, sizes.desired, sizes.max)
