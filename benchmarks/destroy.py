"""Destroy benchmark: `make bench` (python -m benchmarks.destroy).

A local moto server with 30 ms added to every request and state transitions that take seconds
(instances stay `shutting-down`, Beanstalk environments `Terminating`: see transitions.py), a
seeded account of 480+ resources of the ten types in two regions, destroyed three times in the
same run with the same workers:

- resource-level: costzero as shipped (each resource waits for what it links to);
- type-level: the same orchestrator with every `requires` a type-level edge (no linked_requires);
- stage barriers: type-level stages, each run to its end before the next (the seed's approach).

Reports each wall time as a ratio to the critical path of the estate (the longest chain of
transitions and request latencies its dependencies force, computed from the same plan), and the
mutating API calls per type against the fewest possible.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from dependency_injector import providers

from benchmarks.barrier import StageBarrierOrchestrator
from benchmarks.common import bench_sdk, calls_by_type, isolate_from_real_aws, save_results
from benchmarks.transitions import slow_transitions
from costzero.containers import build_registry
from costzero.domain.registry import ResourceRegistry
from costzero.domain.resources import Resource
from costzero.infrastructure.demo_seed import DEMO_REGIONS, seed_demo_account
from costzero.infrastructure.moto_server import EmbeddedMotoServer

LATENCY = 0.030
INSTANCE_SECONDS = 6.0  # shutting-down -> terminated
ENVIRONMENT_SECONDS = 10.0  # Terminating -> Terminated
TRANSITIONS = {
    "ec2:instance": INSTANCE_SECONDS,
    "elasticbeanstalk:environment": ENVIRONMENT_SECONDS,
    "ec2:volume": 0.0,  # moto deletes a volume at once; one describe confirms it
}
MODES = ("resource-level", "type-level", "stage barriers")
# mutating operation -> the type it works for
OPERATION_TYPE = {
    "ec2:TerminateInstances": "ec2:instance",
    "ec2:DeleteVolume": "ec2:volume",
    "ec2:DeleteSnapshot": "ec2:snapshot",
    "ec2:DeregisterImage": "ec2:image",
    "ec2:DisassociateAddress": "ec2:elastic-ip",
    "ec2:ReleaseAddress": "ec2:elastic-ip",
    "ec2:RevokeSecurityGroupIngress": "ec2:security-group",
    "ec2:RevokeSecurityGroupEgress": "ec2:security-group",
    "ec2:DeleteSecurityGroup": "ec2:security-group",
    "ec2:DeleteKeyPair": "ec2:key-pair",
    "s3:DeleteObjects": "s3:bucket",
    "s3:AbortMultipartUpload": "s3:bucket",
    "s3:DeleteBucket": "s3:bucket",
    "elasticbeanstalk:TerminateEnvironment": "elasticbeanstalk:environment",
    "elasticbeanstalk:DeleteApplication": "elasticbeanstalk:application",
}


def minimum_calls(counts: Counter[str], scale: int, regions: int) -> dict[str, int]:
    """The fewest mutating calls that can delete the seeded estate (see demo_seed for the shapes)."""
    per_region = lambda total: total // regions  # noqa: E731
    return {
        "ec2:instance": regions * math.ceil(per_region(counts["ec2:instance"]) / 1000),
        # every instance's root volume goes with it (DeleteOnTermination): the others need a call
        "ec2:volume": counts["ec2:volume"] - counts["ec2:instance"],
        "ec2:snapshot": counts["ec2:snapshot"],
        "ec2:image": counts["ec2:image"],
        # half the addresses are associated; terminating the instance first frees them
        "ec2:elastic-ip": counts["ec2:elastic-ip"],
        # one revoke for each of the two groups that reference each other, then one delete each
        "ec2:security-group": counts["ec2:security-group"] + 2 * scale * regions,
        "ec2:key-pair": counts["ec2:key-pair"],
        "s3:bucket": 2 * counts["s3:bucket"],  # one DeleteObjects (<1000 versions) + DeleteBucket
        "elasticbeanstalk:environment": counts["elasticbeanstalk:environment"],
        "elasticbeanstalk:application": counts["elasticbeanstalk:application"],
    }


def type_level_registry() -> ResourceRegistry:
    """The shipped catalogue with every `requires` a type-level edge."""
    return ResourceRegistry(replace(spec, linked_requires=()) for spec in build_registry())


def critical_path(resources: Sequence[Resource], registry: ResourceRegistry, latency: float) -> float:
    """A lower bound of any destroy of `resources` that respects their dependencies.

    Each resource costs the latency of its fewest sequential requests (one delete, a revoke first
    for a group with group rules, list + delete objects + delete for a bucket, one describe to
    see a transition end) plus its transition; it can start once everything it links to (within
    the run) and, for `requires` no link covers, every resource of that type in its region is gone.
    The longest such chain is the critical path.
    """
    by_ref = {r.ref: r for r in resources}
    by_type_region: dict[tuple[str, str], list[Resource]] = defaultdict(list)
    for resource in resources:
        by_type_region[(resource.type_key, resource.region)].append(resource)
    finish: dict[tuple[str, str], float] = {}

    def requests(resource: Resource) -> int:
        if resource.type_key == "s3:bucket":
            return 3
        rules = resource.attributes.get("ingress") or resource.attributes.get("egress")
        return 1 + (1 if rules else 0) + (1 if resource.type_key in TRANSITIONS else 0)

    def end(resource: Resource) -> float:
        if resource.ref not in finish:
            spec = registry.get(resource.type_key)
            before = [
                by_ref[(link.type_key, link.id)]
                for link in resource.links
                if (link.type_key, link.id) in by_ref and link.type_key != resource.type_key
            ]
            for required in set(spec.requires) - set(spec.linked_requires):
                before.extend(by_type_region[(required, resource.region)])
            own = latency * requests(resource) + TRANSITIONS.get(resource.type_key, 0.0)
            finish[resource.ref] = max((end(r) for r in before), default=0.0) + own
        return finish[resource.ref]

    return max((end(r) for r in resources), default=0.0)


def destroy_once(server: EmbeddedMotoServer, scale: int, mode: str, workers: int) -> dict[str, Any]:
    server.reset()
    server.set_latency(0.0)
    counts = seed_demo_account(server.endpoint_url, DEMO_REGIONS, scale)
    server.set_latency(LATENCY)
    regions = list(DEMO_REGIONS)
    with tempfile.TemporaryDirectory() as tmp, bench_sdk(server, tmp, regions, workers, TRANSITIONS) as sdk:
        c = sdk._container
        if mode != "resource-level":
            c.registry.override(providers.Singleton(type_level_registry))
        if mode == "stage barriers":
            c.orchestrator.override(
                providers.Factory(
                    StageBarrierOrchestrator,
                    executor=c.executor,
                    clock=c.clock,
                    monitor=c.monitor,
                    limits=c.settings.provided.limits.call(),
                    wait=c.settings.provided.wait_policy.call(),
                )
            )
        account = sdk.whoami()
        started = time.perf_counter()
        plan = sdk.plan(accounts=[account])
        planned = time.perf_counter()
        task_ends: dict[str, float] = {}

        def timeline(event: Any) -> None:
            if event.kind.value == "task" and event.state in ("succeeded", "failed", "blocked"):
                task_ends[event.task_key] = round(time.perf_counter() - planned, 2)

        unsubscribe = c.monitor().subscribe(timeline)
        result = sdk.destroy(plan, dry_run=False, yes=True)
        finished = time.perf_counter()
        unsubscribe()
        left = len(sdk.plan(accounts=[account]).targets)
        calls = calls_by_type(sdk.api_calls, OPERATION_TYPE)
        path = critical_path(plan.targets, build_registry(), LATENCY)
    return {
        "resources": sum(counts.values()),
        "seeded": dict(counts),
        "plan_seconds": round(planned - started, 2),
        "destroy_seconds": round(finished - planned, 2),
        "critical_path_seconds": round(path, 2),
        "task_ends": dict(sorted(task_ends.items(), key=lambda item: item[1])),
        "ok": result.ok,
        "problems": {
            k: v for k, v in result.task_reasons.items() if result.task_states[k] in ("failed", "blocked")
        },
        "left": left,
        "mutating_calls": dict(calls),
        "minimum_calls": minimum_calls(counts, scale, len(DEMO_REGIONS)),
    }


def report(runs: Mapping[str, dict[str, Any]], workers: int) -> None:
    first = runs[MODES[0]]
    path = first["critical_path_seconds"]
    print(
        f"estate: {first['resources']} resources of 10 types in {len(DEMO_REGIONS)} regions, "
        f"{LATENCY * 1000:.0f} ms per request, instances shutting down {INSTANCE_SECONDS:.0f} s, "
        f"environments terminating {ENVIRONMENT_SECONDS:.0f} s, {workers} workers"
    )
    print(f"plan (discovery): {first['plan_seconds']:.2f} s; critical path of the destroy: {path:.2f} s")
    print(f"{'destroy':<18}{'wall':>9}{'/ path':>8}{'calls':>7}{'/ min':>7}  left  ok")
    for mode, run in runs.items():
        calls, minimum = sum(run["mutating_calls"].values()), sum(run["minimum_calls"].values())
        print(
            f"{mode:<18}{run['destroy_seconds']:>8.2f}s{run['destroy_seconds'] / path:>7.2f}x"
            f"{calls:>7}{calls / minimum:>6.2f}x  {run['left']:>4}  {run['ok']}"
        )
        for task, reason in run["problems"].items():
            print(f"  {mode}: {task}: {reason}")
        last = list(run["task_ends"].items())[-3:]
        print("  last tasks to end: " + ", ".join(f"{task} {at:.2f}s" for task, at in last))
    print(f"{'type':<32}" + "".join(f"{mode:>16}" for mode in runs) + f"{'minimum':>9}")
    for type_key, minimum in sorted(first["minimum_calls"].items()):
        counts = "".join(f"{run['mutating_calls'].get(type_key, 0):>16}" for run in runs.values())
        print(f"{type_key:<32}{counts}{minimum:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=9, help="estate size multiplier (9 -> 480+)")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    isolate_from_real_aws()
    with EmbeddedMotoServer(latency=LATENCY) as server:
        slow_transitions(INSTANCE_SECONDS, ENVIRONMENT_SECONDS)
        runs = {mode: destroy_once(server, args.scale, mode, args.workers) for mode in MODES}
    report(runs, args.workers)
    save_results("destroy", runs)


if __name__ == "__main__":
    main()
