from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

from botocore.exceptions import BotoCoreError, ClientError

from costzero.domain.costing import CostPart, Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec, Scope
from costzero.infrastructure.aws.errors import error_code, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, each, tag_dict
from costzero.infrastructure.aws.handler_kit.metrics import MetricQuery, latest_values, listed_dimensions

SPEC = ResourceTypeSpec(
    key="s3:bucket",
    scope=Scope.GLOBAL,  # listed once per account; each bucket is emptied in its own region
    delete_batch_size=1000,  # DeleteObjects takes up to 1000 keys
    description="S3 buckets with every object version and delete marker",
)
GIB = 2**30  # S3 bills "GB" of 2^30 bytes
# The StorageType of the daily BucketSizeBytes metric -> the usage type its bytes are billed under.
# The overheads of archived objects are billed at the archive rate (the 32 KB index) and at the
# STANDARD rate (the 8 KB of S3 metadata); objects under 128 KB in the IA classes bill as 128 KB.
STORAGE_USAGE = {
    "StandardStorage": "TimedStorage-ByteHrs",
    "IntelligentTieringFAStorage": "TimedStorage-INT-FA-ByteHrs",
    "IntelligentTieringIAStorage": "TimedStorage-INT-IA-ByteHrs",
    "IntelligentTieringAIAStorage": "TimedStorage-INT-AIA-ByteHrs",
    "IntelligentTieringAAStorage": "TimedStorage-INT-AA-ByteHrs",
    "IntelligentTieringDAAStorage": "TimedStorage-INT-DAA-ByteHrs",
    "StandardIAStorage": "TimedStorage-SIA-ByteHrs",
    "StandardIASizeOverhead": "TimedStorage-SIA-SmObjects",
    "OneZoneIAStorage": "TimedStorage-ZIA-ByteHrs",
    "OneZoneIASizeOverhead": "TimedStorage-ZIA-SmObjects",
    "ReducedRedundancyStorage": "TimedStorage-RRS-ByteHrs",
    "GlacierInstantRetrievalStorage": "TimedStorage-GIR-ByteHrs",
    "GlacierInstantRetrievalSizeOverhead": "TimedStorage-GIR-SmObjects",
    "GlacierIRSizeOverhead": "TimedStorage-GIR-SmObjects",
    "GlacierStorage": "TimedStorage-GlacierByteHrs",
    "GlacierObjectOverhead": "TimedStorage-GlacierByteHrs",
    "GlacierS3ObjectOverhead": "TimedStorage-ByteHrs",
    "GlacierStagingStorage": "TimedStorage-GlacierStaging",
    "DeepArchiveStorage": "TimedStorage-GDA-ByteHrs",
    "DeepArchiveObjectOverhead": "TimedStorage-GDA-ByteHrs",
    "DeepArchiveS3ObjectOverhead": "TimedStorage-ByteHrs",
    "DeepArchiveStagingStorage": "TimedStorage-GDA-Staging",
}
SIZE_METRIC = ("AWS/S3", "BucketSizeBytes")


class S3BucketHandler(AwsHandler):
    spec = SPEC
    iam_actions = (
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation",
        "s3:GetBucketTagging",
        "s3:ListBucketVersions",
        "s3:ListBucketMultipartUploads",
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:DeleteBucket",
        "cloudwatch:ListMetrics",
        "cloudwatch:GetMetricData",
    )

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
        return self._with_sizes(location, found)

    def _with_sizes(self, location: Location, buckets: list[Resource]) -> list[Resource]:
        """Each bucket with `storage_bytes`: its latest BucketSizeBytes per StorageType, read in its
        region (one ListMetrics, then GetMetricData for the series that exist), or None when AWS
        published none or CloudWatch could not be read."""
        by_region: dict[str, list[Resource]] = defaultdict(list)
        for bucket in buckets:
            by_region[bucket.region].append(bucket)
        sizes: dict[str, dict[str, float]] = {}
        for region, members in by_region.items():
            try:
                sizes.update(self._sizes(location, region, {b.id for b in members}))
            except (ClientError, BotoCoreError):
                continue  # unreadable (no cloudwatch permission ...): the sizes stay unknown
        return [replace(b, attributes={**b.attributes, "storage_bytes": sizes.get(b.id)}) for b in buckets]

    def _sizes(self, location: Location, region: str, names: set[str]) -> dict[str, dict[str, float]]:
        cloudwatch = self.client(location, region, "cloudwatch")
        queries = [
            MetricQuery(
                (series["BucketName"], series["StorageType"]),
                *SIZE_METRIC,
                (("BucketName", series["BucketName"]), ("StorageType", series["StorageType"])),
            )
            for series in listed_dimensions(cloudwatch, *SIZE_METRIC)
            if series.get("BucketName") in names and "StorageType" in series
        ]
        sizes: dict[str, dict[str, float]] = defaultdict(dict)
        for key, value in latest_values(cloudwatch, queries).items():
            name, storage_type = cast(tuple[str, str], key)
            sizes[name][storage_type] = value
        return dict(sizes)

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Storage by class, per month; the size of a bucket AWS published no size for is unknown.
        Requests, transfer and retrievals are billed per use: not a standing charge, not here."""
        sizes = resource.attributes.get("storage_bytes")
        if not sizes:
            return (
                Usage(
                    "AmazonS3",
                    "TimedStorage-ByteHrs",
                    "GB-Mo",
                    None,
                    CostPart.STORAGE,
                    monthly=True,
                    note="size unknown: no CloudWatch BucketSizeBytes datapoint in the last 3 days",
                ),
            )
        gib: dict[str, float] = defaultdict(float)
        for storage_type, size in sorted(sizes.items()):
            # a StorageType not mapped here keeps its name: a key no price book holds, so unknown
            gib[STORAGE_USAGE.get(storage_type, f"BucketSizeBytes:{storage_type}")] += size / GIB
        return tuple(
            Usage("AmazonS3", usage_type, "GB-Mo", gb, CostPart.STORAGE, monthly=True, note=f"{gb:.3f} GB")
            for usage_type, gb in gib.items()
        )

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
