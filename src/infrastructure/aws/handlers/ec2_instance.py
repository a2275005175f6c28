from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from costzero.domain.outcomes import OutcomeKind, ResourceOutcome
from costzero.domain.resources import Action, Link, Location, Resource, ResourceTypeSpec
from costzero.infrastructure.aws.handler_kit.base import AwsHandler, chunked, done, each, pending, tag_dict

SPEC = ResourceTypeSpec(
    key="ec2:instance",
    requires=("elasticbeanstalk:environment",),  # an environment's own instances go with it
    linked_requires=("elasticbeanstalk:environment",),  # each carries its environment-id tag
    transition_seconds=45.0,  # shutting-down -> terminated
    actions=frozenset({Action.DELETE, Action.STOP, Action.START}),
    delete_batch_size=1000,  # TerminateInstances (and Stop/StartInstances) take up to 1000 IDs
    description="EC2 instances (terminated, then waited for until 'terminated')",
)
_GONE_STATES = {"terminated"}
_MOVING = {"pending", "stopping", "shutting-down"}
ASG_TAG = "aws:autoscaling:groupName"


BEANSTALK_TAG = "elasticbeanstalk:environment-id"


def _owners(tags: Mapping[str, str]) -> tuple[Link, ...]:
    """What launched the instance and would replace it: it goes with its owner, not before."""
    links = []
    if tags.get(BEANSTALK_TAG):
        links.append(Link("elasticbeanstalk:environment", tags[BEANSTALK_TAG], "belongs to"))
    if tags.get(ASG_TAG):
        links.append(Link("autoscaling:group", tags[ASG_TAG], "belongs to Auto Scaling group"))
    return tuple(links)


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
                                "root_device_type": instance.get("RootDeviceType"),
                                "settings": {"state": instance["State"]["Name"]},
                            },
                            links=_owners(tags),
                        )
                    )
        return found

    def delete(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        outcomes: list[ResourceOutcome] = []
        # Instances of an environment are tried once it is gone, and it terminated them: one
        # describe settles those instead of another TerminateInstances call.
        owned = [r for r in resources if r.links]
        states = self._states(location, owned) if owned else {}
        to_terminate = []
        for resource in resources:
            state = states.get(resource.id, "terminated") if resource.links else "running"
            if state in _GONE_STATES:
                outcomes.append(ResourceOutcome(resource.id, OutcomeKind.GONE, "terminated with its owner"))
            elif state == "shutting-down":
                outcomes.append(pending(resource.id, "terminating with its owner"))
            else:
                to_terminate.append(resource)
        for batch in chunked(to_terminate, self.spec.delete_batch_size):
            try:
                ec2.terminate_instances(InstanceIds=[r.id for r in batch])
                outcomes.extend(pending(r.id, "terminating") for r in batch)
            except ClientError:
                # One bad ID (gone, termination-protected) fails the whole call in real AWS:
                # settle this batch one instance at a time so each gets its own outcome.
                outcomes.extend(self._one_by_one(ec2, batch))
        return outcomes

    def _one_by_one(
        self, ec2: Any, batch: Sequence[Resource], call: str = "terminate_instances"
    ) -> list[ResourceOutcome]:
        def one(resource: Resource) -> ResourceOutcome:
            getattr(ec2, call)(InstanceIds=[resource.id])
            return pending(resource.id, call.split("_")[0])

        return each(batch, one, f"ec2:{_camel(call)}")

    # -- parking: stop keeps the EBS volumes and the configuration; start brings it back ---------
    def parked(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"state": "stopped"}

    def looks_parked(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("state") == "stopped"

    def in_transition(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("state") in _MOVING

    def unparkable(self, resource: Resource) -> str | None:
        if resource.attributes.get("root_device_type") == "instance-store":
            return "instance-store root device: stopping it would lose its data"
        group = (resource.tags or {}).get(ASG_TAG)
        if group:
            return f"member of Auto Scaling group {group}: park the group (autoscaling:group) instead"
        return None

    def stop(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._batch(location, resources, "stop_instances")

    def start(
        self, location: Location, resources: Sequence[Resource], saved: Mapping[str, Mapping[str, Any]]
    ) -> list[ResourceOutcome]:
        return self._batch(location, resources, "start_instances")

    def _batch(self, location: Location, resources: Sequence[Resource], call: str) -> list[ResourceOutcome]:
        ec2 = self.client(location)
        outcomes: list[ResourceOutcome] = []
        for batch in chunked(list(resources), self.spec.delete_batch_size):
            try:
                getattr(ec2, call)(InstanceIds=[r.id for r in batch])
                outcomes.extend(pending(r.id, call.split("_")[0]) for r in batch)
            except ClientError:  # one bad ID fails the call: settle each on its own
                outcomes.extend(self._one_by_one(ec2, batch, call))
        return outcomes

    def read(self, location: Location, resource: Resource) -> dict[str, Any] | None:
        return self.read_many(location, [resource])[resource.id]

    def read_many(
        self, location: Location, resources: Sequence[Resource]
    ) -> dict[str, dict[str, Any] | None]:
        states = self._states(location, resources)
        return {
            r.id: {"state": states[r.id]} if states.get(r.id, "terminated") not in _GONE_STATES else None
            for r in resources
        }

    def _states(self, location: Location, resources: Sequence[Resource]) -> dict[str, str]:
        """Instance ID -> state name for the ones AWS still describes."""
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
        return states

    def confirm_gone(self, location: Location, resources: Sequence[Resource]) -> list[ResourceOutcome]:
        states = self._states(location, resources)
        return [
            done(r.id) if states.get(r.id, "terminated") in _GONE_STATES else pending(r.id, states[r.id])
            for r in resources
        ]


def _camel(snake: str) -> str:
    return "".join(part.title() for part in snake.split("_"))
