"""Seeding helpers for the load balancer tests (moto server): subnets, ALBs, target groups."""

from __future__ import annotations

from typing import Any


def subnets(seed: Any) -> list[str]:
    """Two subnets of the default VPC in different zones (an ALB needs two)."""
    ec2 = seed("ec2")
    found = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    return [s["SubnetId"] for s in found[:2]]


def load_balancer(seed: Any, name: str, kind: str = "application", tags: dict[str, str] | None = None) -> str:
    extra = {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} if tags else {}
    reply = seed("elbv2").create_load_balancer(Name=name, Subnets=subnets(seed), Type=kind, **extra)
    return str(reply["LoadBalancers"][0]["LoadBalancerArn"])


def target_group(seed: Any, name: str, tags: dict[str, str] | None = None) -> str:
    ec2 = seed("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    extra = {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} if tags else {}
    reply = seed("elbv2").create_target_group(Name=name, Protocol="HTTP", Port=80, VpcId=vpc, **extra)
    return str(reply["TargetGroups"][0]["TargetGroupArn"])


def listen(seed: Any, balancer: str, group: str) -> None:
    seed("elbv2").create_listener(
        LoadBalancerArn=balancer,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )
