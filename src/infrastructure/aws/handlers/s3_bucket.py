from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.errors import error_code, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, each, tag_dict

SPEC = ResourceTypeSpec(
    key="s3:bucket",
    scope=Scope.GLOBAL,  # listed once per account; each bucket is emptied in its own region
    delete_batch_size=1000,  # DeleteObjects takes up to 1000 keys
    description="S3 buckets with every object version and delete marker",
)


class S3BucketHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        s3 = self.client(location)
        found = []
        for bucket in s3.list_buckets()["Buckets"]:
            name = bucket["Name"]
            try:
                constraint = s3.get_bucket_location(Bucket=name).get("LocationConstraint")
            except ClientError as error:
                if outcome(name, error).kind is OutcomeKind.GONE:
                    continue
                raise
            region = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(constraint, constraint)
            if region not in regions:
                continue
            found.append(
                self.resource(
                    location,
                    name,
                    name=name,
                    region=region,
                    tags=self._tags(location, name, region),
                    created_at=bucket.get("CreationDate"),
                )
            )
        return found

    def _tags(self, location: Location, name: str, region: str) -> dict[str, str] | None:
        try:
            return tag_dict(self.client(location, region).get_bucket_tagging(Bucket=name)["TagSet"])
        except ClientError as error:
            if error_code(error) == "NoSuchTagSet":
                return {}
            return None  # unreadable: filters keep the bucket (fail closed)

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        def delete(bucket: Resource) -> ResourceOutcome | None:
            s3 = self.client(location, bucket.region)
            left = self._empty(s3, bucket.id)
            if left is not None:
                return left
            s3.delete_bucket(Bucket=bucket.id)  # BucketNotEmpty (a writer raced us) -> not yet
            return None

        return each(resources, delete, "s3:DeleteBucket")

    def _empty(self, s3: Any, name: str) -> ResourceOutcome | None:
        """Delete every version and delete marker, up to 1000 keys per DeleteObjects call; the
        bucket's outcome when some objects could not be deleted, else None.

        Lists from the start again after each deleted page: paging on with markers that point at
        versions just deleted can skip the rest.
        """
        while True:
            page = s3.list_object_versions(Bucket=name, MaxKeys=self.spec.delete_batch_size)
            keys = [
                {"Key": item["Key"], "VersionId": item["VersionId"]}
                for item in page.get("Versions", []) + page.get("DeleteMarkers", [])
            ]
            if not keys:
                break
            for batch in chunked(keys, self.spec.delete_batch_size):
                response = s3.delete_objects(Bucket=name, Delete={"Objects": list(batch), "Quiet": True})
                errors = response.get("Errors", [])
                if errors:
                    first = errors[0]
                    kind = OutcomeKind.DENIED if first.get("Code") == "AccessDenied" else OutcomeKind.NOT_YET
                    message = (
                        f"{len(errors)} objects not deleted, e.g. {first.get('Key')}: {first.get('Code')}"
                    )
                    return ResourceOutcome(name, kind, message)
        for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=name):
            for upload in page.get("Uploads", []):
                s3.abort_multipart_upload(Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"])
        return None
