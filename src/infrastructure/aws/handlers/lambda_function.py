from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.costing import Usage
from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import error_code, error_message, outcome
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, each, pending, read_tags

SPEC = ResourceTypeSpec(
    key="lambda:function",
    # AWS deletes a function without its event source mappings, which then poll for a function that
    # is gone: they go first (discovery links each function to its own)
    # its mappings keep invoking it; a Lambda@Edge function cannot go while CloudFront replicas exist
    requires=("lambda:event-source-mapping", "cloudfront:distribution"),
    linked_requires=("lambda:event-source-mapping",),
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    description="Lambda functions (parked: mappings off, reserved concurrency 0, no provisioned concurrency)",
)
LAMBDA = "AWSLambda"
_ON = {"Enabled", "Enabling", "Updating"}
_MOVING = {"Enabling", "Disabling", "Updating", "Creating"}
# DeleteFunction's answer for a Lambda@Edge function CloudFront still holds replicas of:
# InvalidParameterValueException, "Lambda was unable to delete <arn>:<version> because it is a
# replicated function. Please see our documentation for Deleting Lambda@Edge Functions and Replicas."
_REPLICATED = "replicated function"
EDGE_REPLICAS = (
    "replicated by CloudFront (Lambda@Edge): AWS removes replicas hours after the distribution lets go"
    " of it; run destroy again later"
)


def _function_tags(lam: Any, arn: str) -> dict[str, str]:
    return dict(lam.list_tags(Resource=arn).get("Tags", {}))


def _mappings(lam: Any, name: str) -> list[dict[str, Any]]:
    """Every event source mapping of one function, across pages."""
    pages = lam.get_paginator("list_event_source_mappings").paginate(FunctionName=name)
    return [m for page in pages for m in page.get("EventSourceMappings", [])]


class LambdaFunctionHandler(AwsHandler):
    """`reserved` is None when no reserved concurrency is set: start then deletes the setting,
    never writes 0 or a number (an unset function may use the account's whole pool)."""

    spec = SPEC
    free_because = "billed per request and duration; no standing charge unless provisioned concurrency"
    iam_actions = (
        "lambda:ListFunctions",
        "lambda:ListTags",
        "lambda:GetFunctionConcurrency",
        "lambda:ListEventSourceMappings",
        "lambda:ListProvisionedConcurrencyConfigs",
        "lambda:GetFunctionConfiguration",
        "lambda:UpdateEventSourceMapping",
        "lambda:DeleteProvisionedConcurrencyConfig",
        "lambda:PutProvisionedConcurrencyConfig",
        "lambda:PutFunctionConcurrency",
        "lambda:DeleteFunctionConcurrency",
        "lambda:DeleteFunction",
    )

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        lam = self.client(location)
        found = []
        for page in lam.get_paginator("list_functions").paginate():
            for function in page["Functions"]:
                name, arn = function["FunctionName"], function["FunctionArn"]
                settings, mappings = self._read(lam, name)
                found.append(
                    self.resource(
                        location,
                        name,
                        name=name,
                        tags=read_tags(_function_tags, lam, arn),
                        attributes={
                            "settings": settings,
                            "provisioned_sizes": self._sizes(lam, name, settings["provisioned"]),
                        },
                        links=tuple(
                            Link("lambda:event-source-mapping", m["UUID"], "invoked by") for m in mappings
                        ),
                    )
                )
        return found

    def _settings(self, lam: Any, name: str) -> dict[str, Any]:
        return self._read(lam, name)[0]

    def _read(self, lam: Any, name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The function's parking settings, and all its event source mappings (for its links)."""
        reserved = lam.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions")
        mappings = _mappings(lam, name)
        settings = {
            "reserved": reserved,
            "enabled_mappings": sorted(m["UUID"] for m in mappings if m.get("State") in _ON),
            "settling": sorted(m["UUID"] for m in mappings if m.get("State") in _MOVING),
            "provisioned": self._provisioned(lam, name),
        }
        return settings, mappings

    @staticmethod
    def _provisioned(lam: Any, name: str) -> list[dict[str, Any]]:
        try:
            configs = lam.list_provisioned_concurrency_configs(FunctionName=name).get(
                "ProvisionedConcurrencyConfigs", []
            )
        except ClientError as error:
            # A bare HTTP 404 with no AWS error code: an emulator (moto) without the API. AWS itself
            # answers with a named code, which is raised (fail closed).
            if error_code(error) == "404":
                return []
            raise
        return sorted(
            (
                {
                    "qualifier": c["FunctionArn"].rsplit(":", 1)[-1],
                    "count": c["RequestedProvisionedConcurrentExecutions"],
                }
                for c in configs
            ),
            key=lambda c: str(c["qualifier"]),
        )

    @staticmethod
    def _sizes(lam: Any, name: str, provisioned: list[dict[str, Any]]) -> dict[str, dict[str, Any] | None]:
        """Memory and architecture of each version or alias with provisioned concurrency (the
        qualifier's own, which may differ from $LATEST's); None when it cannot be read."""
        sizes: dict[str, dict[str, Any] | None] = {}
        for config in provisioned:
            qualifier = str(config["qualifier"])
            try:
                found = lam.get_function_configuration(FunctionName=name, Qualifier=qualifier)
            except ClientError:
                sizes[qualifier] = None
                continue
            architectures = found.get("Architectures") or ["x86_64"]
            sizes[qualifier] = {"memory_mb": found.get("MemorySize"), "architecture": architectures[0]}
        return sizes

    def usage(self, resource: Resource) -> Sequence[Usage]:
        """Provisioned concurrency, billed per GB-second while configured (parking removes it):
        per hour, concurrency x memory GB x 3,600. Requests and duration are billed per use, so a
        function without provisioned concurrency declares nothing (see `free_because`)."""
        sizes = resource.attributes.get("provisioned_sizes") or {}
        usages = []
        for config in resource.attributes.get("settings", {}).get("provisioned", []):
            qualifier, count = str(config["qualifier"]), int(config["count"])
            size = sizes.get(qualifier) or {}
            arm = size.get("architecture") == "arm64"
            usage_type = "Lambda-Provisioned-Concurrency" + ("-ARM" if arm else "")
            if size.get("memory_mb") is None:
                usages.append(
                    Usage(LAMBDA, usage_type, "Lambda-GB-Second", None, note=f"{qualifier}: memory unknown")
                )
                continue
            gb_seconds = count * float(size["memory_mb"]) / 1024 * 3600
            note = f"{qualifier}: {count} x {size['memory_mb']} MB"
            usages.append(Usage(LAMBDA, usage_type, "Lambda-GB-Second", gb_seconds, note=note))
        return tuple(usages)

    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"reserved": 0, "enabled_mappings": [], "provisioned": []}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("reserved") == 0 and not settings.get("enabled_mappings")

    def in_transition(self, settings: Mapping[str, Any]) -> bool:
        return bool(settings.get("settling"))

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        lam = self.client(location)

        def park(function: Resource) -> ResourceOutcome:
            settings = saved[function.id]
            # mappings first: nothing should pull events into a function about to be throttled
            for uuid in settings.get("enabled_mappings", []):
                lam.update_event_source_mapping(UUID=uuid, Enabled=False)
            for config in settings.get("provisioned", []):
                lam.delete_provisioned_concurrency_config(
                    FunctionName=function.id, Qualifier=config["qualifier"]
                )
            lam.put_function_concurrency(FunctionName=function.id, ReservedConcurrentExecutions=0)
            return pending(function.id)  # verified by reading it back

        return each(resources, park, "lambda:PutFunctionConcurrency")

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        lam = self.client(location)

        def restore(function: Resource) -> ResourceOutcome:
            settings = saved[function.id]
            if settings.get("reserved") is None:
                lam.delete_function_concurrency(FunctionName=function.id)  # unset stays unset
            else:
                lam.put_function_concurrency(
                    FunctionName=function.id, ReservedConcurrentExecutions=settings["reserved"]
                )
            for config in settings.get("provisioned", []):
                lam.put_provisioned_concurrency_config(
                    FunctionName=function.id,
                    Qualifier=config["qualifier"],
                    ProvisionedConcurrentExecutions=config["count"],
                )
            for uuid in settings.get("enabled_mappings", []):  # only those that were enabled
                lam.update_event_source_mapping(UUID=uuid, Enabled=True)
            return pending(function.id)

        return each(resources, restore, "lambda:PutFunctionConcurrency")

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        """DeleteFunction removes every version and alias at once (synchronous; a missing function
        is ResourceNotFoundException: gone). A function mid-update answers ResourceConflictException
        (not yet).

        A Lambda@Edge function stays while CloudFront keeps replicas of it at its edge locations:
        AWS removes them some hours after the last distribution association is gone (deleting the
        distribution, which this type requires first, is not enough on its own), and until then
        answers InvalidParameterValueException "... because it is a replicated function". That is
        BLOCKED: something this run does not (and cannot) delete holds the function, and no retry
        within a run can help. Not NOT_YET: the run would poll for hours and then fail its task
        anyway; not FAILED: nothing is wrong with the function or the request, and the message says
        what to do (run destroy again later). BLOCKED counts as left, so the run is not ok while
        the function is still there."""
        lam = self.client(location)
        return each(
            resources,
            lambda f: lam.delete_function(FunctionName=f.id),
            "lambda:DeleteFunction",
            _delete_error,
        )

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        lam = self.client(location)
        try:
            return self._settings(lam, resource.id)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return None
            raise


def _delete_error(function: str, error: ClientError, operation: str) -> ResourceOutcome:
    """Lambda@Edge replicas still held by CloudFront: BLOCKED (see `delete`); anything else by the
    error table. InvalidParameterValueException also names plain bad requests, so the message is
    read, and only AWS's replica wording is taken for it."""
    if error_code(error) == "InvalidParameterValueException" and _REPLICATED in error_message(error):
        return ResourceOutcome(function, OutcomeKind.BLOCKED, f"{EDGE_REPLICAS} ({error_message(error)})")
    return outcome(function, error, operation)
