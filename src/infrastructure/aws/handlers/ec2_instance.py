from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from costzero.domain.outcomes import ResourceOutcome
from costzero.domain.resources import Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.errors import outcome
from costzero.infrastructure.aws.handlers.base import AwsHandler, chunked, done, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:instance",
    requires=("elasticbeanstalk:environment",),  # an environment's own instances go with it
    delete_batch_size=1000,  # TerminateInstances takes up to 1000 IDs
    description="EC2 instances (terminated, then waited for until 'terminated')",
)
_GONE_STATES = {"terminated"}


class Ec2InstanceHandler(AwsHandler):
    spec = SPEC

    def discover(self, location: Location, regions: Sequence[str]) -> list[Resource]:
        found = []
        for page in self.client(location).get_paginator("describe_instances").paginate():
            for reservation in page["Reservations"]:
                for instance in reservation["Instances"]:
                    if instance["State"]["Name"] in _GONE_STATES:
                        continue
                    tags = tag_dict(instance.get("Tags"))
                    found.append(
                        self.resource(
                            location,
                            instance["InstanceId"],
                            name=tags.get("Name"),
                            tags=tags,
                            created_at=instance.get("LaunchTime"),
                            attributes={
                                "instance_type": instance.get("InstanceType"),
                                "state": instance["State"]["Name"],
                            },
                        )
                    )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        outcomes: list[ResourceOutcome] = []
        for batch in chunked(list(resources), self.spec.delete_batch_size):
            try:
                ec2.terminate_instances(InstanceIds=[r.id for r in batch])
                outcomes.extend(pending(r.id, "terminating") for r in batch)
            except ClientError:
                # One bad ID (gone, termination-protected) fails the whole call in real AWS:
                # settle this batch one instance at a time so each gets its own outcome.
                outcomes.extend(self._one_by_one(ec2, batch))
        return outcomes

    def _one_by_one(self, ec2: object, batch: Sequence[Resource]) -> list[ResourceOutcome]:
        outcomes = []
        for resource in batch:
            try:
                ec2.terminate_instances(InstanceIds=[resource.id])  # type: ignore[attr-defined]
                outcomes.append(pending(resource.id, "terminating"))
            except ClientError as error:
                outcomes.append(outcome(resource.id, error, "ec2:TerminateInstances"))
        return outcomes

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        states: dict[str, str] = {}
        for batch in chunked([r.id for r in resources], 200):
            # A filter, not InstanceIds: real AWS fails the whole call if one ID is already gone.
            pages = ec2.get_paginator("describe_instances").paginate(
                Filters=[{"Name": "instance-id", "Values": list(batch)}]
            )
            for page in pages:
                for reservation in page["Reservations"]:
                    for instance in reservation["Instances"]:
                        states[instance["InstanceId"]] = instance["State"]["Name"]
        return [
            done(r.id) if states.get(r.id, "terminated") in _GONE_STATES else pending(r.id, states[r.id])
            for r in resources
        ]
