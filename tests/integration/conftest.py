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
