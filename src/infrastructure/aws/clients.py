from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.resources import GLOBAL_REGION
from costzero.infrastructure.aws.calls import ApiCallCounter
from costzero.infrastructure.aws.errors import translate

DEFAULT_REGION = "us-east-1"


class Boto3CloudAccess:
    """One boto3 session per account, one client per (account, region, service), shared by workers.

    botocore clients are thread-safe once built; building them is not, so it happens under a lock
    and, for a run, up front in `prepare`. Retries are adaptive (client-side rate limiting plus
    backoff) with an explicit attempt count; the connection pool is sized to the workers.
    `endpoint_url` (or `AWS_ENDPOINT_URL`, which botocore reads itself) points every client at
    moto or LocalStack; `profile` selects a named profile; otherwise the usual credential chain.
    """

    def __init__(
        self,
        *,
        profile: str | None = None,
        endpoint_url: str | None = None,
        max_attempts: int = 8,
        pool_size: int = 16,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        counter: ApiCallCounter | None = None,
    ) -> None:
        self._profile = profile
        self._endpoint_url = endpoint_url
        self._config = Config(
            retries={"mode": "adaptive", "total_max_attempts": max_attempts},
            max_pool_connections=max(10, pool_size),
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        )
        self.counter = counter if counter is not None else ApiCallCounter()
        self._lock = threading.Lock()
        self._session: boto3.session.Session | None = None
        self._clients: dict[tuple[str, str, str], Any] = {}
        self._account: str | None = None
        self._partition = "aws"

    def _boto_session(self) -> boto3.session.Session:
        if self._session is None:
            try:
                self._session = boto3.session.Session(profile_name=self._profile)
            except BotoCoreError as error:
                raise translate(error) from error
        return self._session

    def client(self, account: str, region: str, service: str) -> Any:
        if region == GLOBAL_REGION:
            region = DEFAULT_REGION
        key = (account, region, service)
        client = self._clients.get(key)
        if client is not None:
            return client
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._boto_session().client(
                    service,  # type: ignore[call-overload]
                    region_name=region,
                    endpoint_url=self._endpoint_url,
                    config=self._config,
                )
                client.meta.events.register("before-call.*.*", self.counter)
                self._clients[key] = client
        return client

    def caller_account(self) -> str:
        if self._account is None:
            sts = self.client("self", DEFAULT_REGION, "sts")
            try:
                identity = sts.get_caller_identity()
            except (BotoCoreError, ClientError) as error:
                raise translate(error) from error
            self._account = str(identity["Account"])
            self._partition = str(identity.get("Arn", "arn:aws:")).split(":")[1] or "aws"
        return self._account

    def partition(self) -> str:
        """The caller's partition (aws, aws-cn, aws-us-gov), from its ARN."""
        self.caller_account()
        return self._partition

    def prepare(self, locations: Iterable[tuple[str, str, str]]) -> None:
        for account, region, service in locations:
            self.client(account, region, service)

    def enabled_regions(self) -> tuple[str, ...]:
        ec2 = self.client("self", DEFAULT_REGION, "ec2")
        try:
            regions = ec2.describe_regions()["Regions"]
        except (BotoCoreError, ClientError) as error:
            raise translate(error) from error
        # `all` means the caller's partition: a commercial account never lists cn-* or us-gov-*
        partition = self.partition()
        session = self._boto_session()
        return tuple(
            sorted(r["RegionName"] for r in regions if _partition_of(session, r["RegionName"]) == partition)
        )


def _partition_of(session: boto3.session.Session, region: str) -> str | None:
    try:
        return str(session.get_partition_for_region(region))
    except (BotoCoreError, ValueError):
        return None
