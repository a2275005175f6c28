from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.errors import CloudError
from costzero.infrastructure.aws.clients import Boto3CloudAccess
from costzero.infrastructure.aws.errors import error_message


class S3StateBackup:
    """Writes the park-snapshot mirror to s3://bucket/key after every real stop and start."""

    def __init__(self, cloud: Boto3CloudAccess, bucket: str, key: str, region: str) -> None:
        self._cloud, self._bucket, self._key, self._region = cloud, bucket, key, region

    def save(self, state: Mapping[str, Any]) -> None:
        s3 = self._cloud.client(self._cloud.caller_account(), self._region, "s3")
        try:
            s3.put_object(
                Bucket=self._bucket,
                Key=self._key,
                ContentType="application/json",
                Body=json.dumps(state, indent=2, default=str).encode(),
            )
        except ClientError as error:
            raise CloudError(
                f"state backup to s3://{self._bucket}/{self._key} failed: {error_message(error)}"
            ) from None
        except BotoCoreError as error:
            raise CloudError(f"state backup to s3://{self._bucket}/{self._key} failed: {error}") from None
