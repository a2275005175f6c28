"""botocore Stubber behind the ClientSource shape, for AWS behaviour moto does not reproduce."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.stub import Stubber


class StubbedClients:
    """One stubbed client; nothing is sent anywhere (Stubber answers every call)."""

    def __init__(self, service: str, region: str = "us-east-1") -> None:
        self.stubbed = boto3.client(service, region_name=region, endpoint_url="http://127.0.0.1:9")
        self.stubber = Stubber(self.stubbed)
        self.stubber.activate()

    def client(self, account: str, region: str, service: str) -> Any:
        return self.stubbed

    def error(self, operation: str, code: str, message: str = "", params: Any = None) -> None:
        self.stubber.add_client_error(
            operation, service_error_code=code, service_message=message, expected_params=params
        )

    def reply(self, operation: str, response: dict[str, Any], params: Any = None) -> None:
        self.stubber.add_response(operation, response, params)


class AsCaller:
    """Real clients (the moto server) except STS, whose GetCallerIdentity names `arn`: moto's
    caller is always the user "moto", and the IAM handlers must be shown to spare a caller that
    is a role session or another user."""

    def __init__(self, clients: Any, arn: str) -> None:
        self.clients = clients
        self.sts = StubbedClients("sts")
        self.arn = arn

    def client(self, account: str, region: str, service: str) -> Any:
        if service == "sts":
            self.sts.reply("get_caller_identity", {"Account": "123456789012", "Arn": self.arn, "UserId": "X"})
            return self.sts.stubbed
        return self.clients.client(account, region, service)
