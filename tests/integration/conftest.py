"""Integration fixtures: one moto *server* on 127.0.0.1 for the session, reset before each test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from costzero.domain.resources import Location
from costzero.infrastructure.aws.clients import Boto3CloudAccess
from costzero.infrastructure.moto_server import EmbeddedMotoServer

REGION = "us-east-1"
OTHER_REGION = "eu-west-1"


@pytest.fixture
def aws(moto_server: EmbeddedMotoServer) -> Boto3CloudAccess:
    """The adapter under test, talking HTTP to the moto server, with its call counter."""
    moto_server.reset()
    return Boto3CloudAccess(endpoint_url=moto_server.endpoint_url, max_attempts=3)


@pytest.fixture
def account(aws: Boto3CloudAccess) -> str:
    return aws.caller_account()


@pytest.fixture
def location(account: str) -> Location:
    return Location(account, REGION)


@pytest.fixture
def seed(moto_server: EmbeddedMotoServer, aws: Boto3CloudAccess) -> Callable[..., Any]:
    """A plain boto3 client for setting up a scenario; its calls are not counted."""

    def make(service: str, region: str = REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=moto_server.endpoint_url)

    return make


@pytest.fixture
def park_sdk(moto_server, tmp_path):
    """The SDK on the moto server, with short waits, for stop/start round trips."""
    from costzero.presentation.sdk import CostZero

    with CostZero(
        None,
        endpoint_url=moto_server.endpoint_url,
        regions=[REGION],
        database_url=f"sqlite:///{tmp_path / 'park.db'}",
        wait={"budget_seconds": 30, "first_delay": 0.01, "max_delay": 0.05},
    ) as client:
        yield client


def round_trip(sdk, type_key: str) -> tuple[dict, dict, dict]:
    """stop then start one type; returns the settings before, while parked, and after."""

    def settings() -> dict:
        return {i.resource.id: dict(i.settings) for i in sdk.plan_stop(types=[type_key]).reports}

    before = settings()
    stopped = sdk.stop(types=[type_key], accounts=[sdk.whoami()], dry_run=False, yes=True)
    assert stopped.ok, stopped.task_reasons
    parked = settings()
    started = sdk.start(types=[type_key], dry_run=False)
    assert started.ok, started.task_reasons
    return before, parked, settings()
