"""Park benchmark: `make bench` (python -m benchmarks.park).

A local moto server with 30 ms added to every request, seeded in two regions with EC2 instances,
CloudWatch alarms and Auto Scaling groups. Measured in the same run:

- costzero `stop` then `start` (write-ahead snapshots, batched calls, parallel tasks);
- a baseline on the same estate: a plain loop that stops each resource with its own call, one
  after the other, saving nothing (what a small scheduler script does).

Reports wall times, their ratio, and mutating API calls per type against the fewest possible.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from typing import Any

import boto3

from benchmarks.common import bench_sdk, calls_by_type, isolate_from_real_aws, save_results
from costzero.infrastructure.demo_seed import seed_alarms
from costzero.infrastructure.moto_server import EmbeddedMotoServer

LATENCY = 0.030
REGIONS = ("us-east-1", "eu-west-1")
TYPES = ["ec2:instance", "cloudwatch:alarm", "autoscaling:group"]
OPERATION_TYPE = {
    "ec2:StopInstances": "ec2:instance",
    "ec2:StartInstances": "ec2:instance",
    "cloudwatch:DisableAlarmActions": "cloudwatch:alarm",
    "cloudwatch:EnableAlarmActions": "cloudwatch:alarm",
    "autoscaling:SuspendProcesses": "autoscaling:group",
    "autoscaling:ResumeProcesses": "autoscaling:group",
    "autoscaling:UpdateAutoScalingGroup": "autoscaling:group",
}


def _clients(endpoint: str, region: str) -> tuple[Any, Any, Any]:
    return tuple(  # type: ignore[return-value]
        boto3.client(service, region_name=region, endpoint_url=endpoint)
        for service in ("ec2", "cloudwatch", "autoscaling")
    )


def seed(endpoint: str, instances: int, alarms: int, groups: int) -> dict[str, Any]:
    """Per region: `instances` running instances, `alarms` alarms with actions on and `groups`
    Auto Scaling groups (min 1, desired 1, max 4; their instances are members, left to the group).
    Returns the names per region, for the baseline."""
    names: dict[str, Any] = {}
    for region in REGIONS:
        ec2, cloudwatch, autoscaling = _clients(endpoint, region)
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        reply = ec2.run_instances(
            ImageId=image, MinCount=instances, MaxCount=instances, InstanceType="t3.micro"
        )
        ec2.create_launch_template(
            LaunchTemplateName="bench", LaunchTemplateData={"ImageId": image, "InstanceType": "t3.micro"}
        )
        seed_alarms(endpoint, region, alarms)
        for n in range(groups):
            autoscaling.create_auto_scaling_group(
                AutoScalingGroupName=f"asg-{n}",
                MinSize=1,
                MaxSize=4,
                DesiredCapacity=1,
                LaunchTemplate={"LaunchTemplateName": "bench"},
                AvailabilityZones=[f"{region}a"],
            )
        names[region] = {
            "instances": [i["InstanceId"] for i in reply["Instances"]],
            "alarms": [
                alarm["AlarmName"]
                for page in cloudwatch.get_paginator("describe_alarms").paginate()
                for alarm in page["MetricAlarms"]
            ],
            "groups": [f"asg-{n}" for n in range(groups)],
        }
    return names


def minimum_calls(instances: int, alarms: int, groups: int) -> dict[str, int]:
    """The fewest mutating calls for one stop (start is the same): instances 1000 per call and
    alarms 100 per call, per region; a group needs its processes suspended and its size set."""
    regions = len(REGIONS)
    return {
        "ec2:instance": regions * math.ceil(instances / 1000),
        "cloudwatch:alarm": regions * math.ceil(alarms / 100),
        "autoscaling:group": regions * groups * 2,
    }


def costzero_once(server: EmbeddedMotoServer, sizes: tuple[int, int, int], workers: int) -> dict[str, Any]:
    server.reset()
    server.set_latency(0.0)
    seed(server.endpoint_url, *sizes)
    server.set_latency(LATENCY)
    with tempfile.TemporaryDirectory() as tmp, bench_sdk(server, tmp, list(REGIONS), workers) as sdk:
        account = sdk.whoami()
        started = time.perf_counter()
        stopped = sdk.stop(types=TYPES, accounts=[account], dry_run=False, yes=True)
        middle = time.perf_counter()
        stop_calls = calls_by_type(sdk.api_calls, OPERATION_TYPE)
        restored = sdk.start(types=TYPES, dry_run=False)
        finished = time.perf_counter()
        start_calls = calls_by_type(sdk.api_calls, OPERATION_TYPE) - stop_calls
        still_parked = sum(1 for row in sdk.status(types=TYPES) if row["state"] != "running")
    return {
        "stop_seconds": round(middle - started, 2),
        "start_seconds": round(finished - middle, 2),
        "stop": stopped.outcomes,
        "start": restored.outcomes,
        "ok": stopped.ok and restored.ok,
        "still_parked": still_parked,
        "stop_calls": dict(stop_calls),
        "start_calls": dict(start_calls),
    }


def baseline_once(server: EmbeddedMotoServer, sizes: tuple[int, int, int]) -> dict[str, Any]:
    """One call per resource, one resource after the other; nothing saved, nothing verified."""
    server.reset()
    server.set_latency(0.0)
    names = seed(server.endpoint_url, *sizes)
    server.set_latency(LATENCY)
    calls = 0
    started = time.perf_counter()
    for region, found in names.items():
        ec2, cloudwatch, autoscaling = _clients(server.endpoint_url, region)
        for instance in found["instances"]:
            ec2.stop_instances(InstanceIds=[instance])
            calls += 1
        for alarm in found["alarms"]:
            cloudwatch.disable_alarm_actions(AlarmNames=[alarm])
            calls += 1
        for group in found["groups"]:
            autoscaling.suspend_processes(AutoScalingGroupName=group)
            autoscaling.update_auto_scaling_group(AutoScalingGroupName=group, MinSize=0, DesiredCapacity=0)
            calls += 2
    return {"stop_seconds": round(time.perf_counter() - started, 2), "stop_calls": calls}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=120, help="instances per region")
    parser.add_argument("--alarms", type=int, default=150, help="alarms per region")
    parser.add_argument("--groups", type=int, default=10, help="Auto Scaling groups per region")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    isolate_from_real_aws()
    sizes = (args.instances, args.alarms, args.groups)
    with EmbeddedMotoServer(latency=LATENCY) as server:
        ours = costzero_once(server, sizes, args.workers)
        baseline = baseline_once(server, sizes)
    total = sum(sizes) * len(REGIONS)
    ratio = baseline["stop_seconds"] / ours["stop_seconds"]
    print(
        f"estate: {total} parkable resources (instances, alarms, groups) in {len(REGIONS)} regions, "
        f"{LATENCY * 1000:.0f} ms per request, {args.workers} workers"
    )
    print(f"costzero stop (snapshots first): {ours['stop_seconds']:7.2f} s  {ours['stop']}")
    print(f"costzero start (verified):       {ours['start_seconds']:7.2f} s  {ours['start']}")
    calls = baseline["stop_calls"]
    print(f"baseline stop, a call each:      {baseline['stop_seconds']:7.2f} s  ({calls} calls)")
    print(f"ratio baseline / costzero stop: {ratio:.2f}x; still parked after start: {ours['still_parked']}")
    print(f"{'type':<24}{'stop calls':>11}{'start calls':>12}{'minimum':>9}")
    for type_key, minimum in sorted(minimum_calls(*sizes).items()):
        stop_calls, start_calls = ours["stop_calls"].get(type_key, 0), ours["start_calls"].get(type_key, 0)
        print(f"{type_key:<24}{stop_calls:>11}{start_calls:>12}{minimum:>9}")
    save_results("park", {"costzero": ours, "baseline": baseline, "ratio": ratio})


if __name__ == "__main__":
    main()
