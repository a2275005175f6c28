"""Destroy benchmark: `make bench` (python -m benchmarks.destroy).

A local moto server with 30 ms added to every request, a seeded account of 400+ resources of the
ten types in two regions, destroyed twice in the same run: once by costzero's dependency-driven
orchestrator and once by a stage-barrier scheduler (the seed's approach) with the same workers.
Reports wall times, their ratio, and mutating API calls per type against the minimum needed.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections import Counter
from typing import Any

from dependency_injector import providers

from benchmarks.barrier import StageBarrierOrchestrator
from benchmarks.common import bench_sdk, calls_by_type, isolate_from_real_aws, save_results
from costzero.infrastructure.demo_seed import DEMO_REGIONS, seed_demo_account
from costzero.infrastructure.moto_server import EmbeddedMotoServer

LATENCY = 0.030
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
        "ec2:volume": counts["ec2:volume"],
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


def destroy_once(server: EmbeddedMotoServer, scale: int, barrier: bool, workers: int) -> dict[str, Any]:
    server.reset()
    server.set_latency(0.0)
    counts = seed_demo_account(server.endpoint_url, DEMO_REGIONS, scale)
    server.set_latency(LATENCY)
    with tempfile.TemporaryDirectory() as tmp, bench_sdk(server, tmp, list(DEMO_REGIONS), workers) as sdk:
        if barrier:
            c = sdk._container
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
        result = sdk.destroy(plan, dry_run=False, yes=True)
        finished = time.perf_counter()
        left = len(sdk.plan(accounts=[account]).targets)
        calls = calls_by_type(sdk.api_calls, OPERATION_TYPE)
    return {
        "resources": sum(counts.values()),
        "seeded": dict(counts),
        "plan_seconds": round(planned - started, 2),
        "destroy_seconds": round(finished - planned, 2),
        "ok": result.ok,
        "problems": {
            k: v for k, v in result.task_reasons.items() if result.task_states[k] in ("failed", "blocked")
        },
        "left": left,
        "mutating_calls": dict(calls),
        "minimum_calls": minimum_calls(counts, scale, len(DEMO_REGIONS)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=9, help="estate size multiplier (9 -> 400+)")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    isolate_from_real_aws()
    with EmbeddedMotoServer(latency=LATENCY) as server:
        dag = destroy_once(server, args.scale, barrier=False, workers=args.workers)
        barrier = destroy_once(server, args.scale, barrier=True, workers=args.workers)
    ratio = barrier["destroy_seconds"] / dag["destroy_seconds"]
    print(
        f"estate: {dag['resources']} resources of 10 types in {len(DEMO_REGIONS)} regions, "
        f"{LATENCY * 1000:.0f} ms per request, {args.workers} workers"
    )
    print(f"plan (discovery):           {dag['plan_seconds']:7.2f} s")
    print(
        f"destroy, dependency-driven: {dag['destroy_seconds']:7.2f} s  (left: {dag['left']}, ok: {dag['ok']})"
    )
    print(f"destroy, stage barriers:    {barrier['destroy_seconds']:7.2f} s  (left: {barrier['left']})")
    print(f"ratio barrier / dependency-driven: {ratio:.2f}x")
    for name, run in (("dependency-driven", dag), ("stage barriers", barrier)):
        for task, reason in run["problems"].items():
            print(f"  {name}: {task}: {reason}")
    print(f"{'type':<32}{'calls':>7}{'minimum':>9}")
    for type_key, minimum in sorted(dag["minimum_calls"].items()):
        print(f"{type_key:<32}{dag['mutating_calls'].get(type_key, 0):>7}{minimum:>9}")
    save_results("destroy", {"dag": dag, "barrier": barrier, "ratio": ratio})


if __name__ == "__main__":
    main()
