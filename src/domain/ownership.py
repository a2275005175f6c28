"""Resources a CloudFormation stack created: left to the stack, never deleted on their own.

Deleting a stack's resource behind its back makes the stack drift, and its own delete then fails or
skips it; so a destroy deletes the stack, and what the stack created goes with it. A resource is the
stack's when it carries the stack's `aws:cloudformation:stack-id` tag (AWS tags what it can) or when
the stack lists it among its resources (members: "service|physical id", for what carries no tag,
such as IAM roles). Nested stacks count as their root's.

`resolve` splits the chosen resources of a destroy into:
- what goes with a stack the run deletes (not a target: the stack deletes it);
- what is kept because its stack is not deleted by this run (kept by a rule, not selected, not listed
  in that region, managed by a StackSet): when in doubt, the resource stays and the reason says why;
- the rest, unchanged, except that links are rewritten through the stacks: a resource linked to a
  stack's member waits for the stack, and a stack waits for what its members wait for.
A tag naming a stack that no longer exists (a resource the stack retained on delete, in a region
where the run listed the stacks) makes no owner: the resource is deleted like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from costzero.domain.resources import GLOBAL_REGION, Link, Ref, Resource
from costzero.domain.safety import Kept

STACK_TYPE = "cloudformation:stack"
STACK_ID_TAG = "aws:cloudformation:stack-id"
STACK_NAME_TAG = "aws:cloudformation:stack-name"
STACK_IDS = "stack_ids"  # a root stack's attribute: its own ID and those of its nested stacks
MEMBERS = "members"  # a root stack's attribute: "service|physical id" of every resource it created
# Elastic Beanstalk builds each environment with a stack of its own and deletes it with the
# environment: resources with these tags belong to the environment (its "belongs to" links)
OTHER_OWNER_TAGS = ("elasticbeanstalk:environment-name", "elasticbeanstalk:environment-id")
MEMBER_RELATION = "created by"
KEEPS = "would delete its"  # a stack's link to what it created and the user keeps


@dataclass
class Ownership:
    """What `resolve` decided (see the module's docstring)."""

    chosen: list[Resource]  # targets of their own tasks, links rewritten through the stacks
    with_stack: list[Kept] = field(default_factory=list)  # deleted by their stack (reason names it)
    kept: list[Kept] = field(default_factory=list)  # their stack stays, so they stay too
    stack_of: dict[Ref, Resource] = field(default_factory=dict)  # member ref -> stack


def member_key(service: str, physical_id: str) -> str:
    return f"{service}|{physical_id}"


def _forms(text: str) -> set[str]:
    """A name as a stack's resource list or a listing may give it: whole, or the last part of a URL
    or an ARN (a queue's URL names another host behind an endpoint; a cluster is named by its ARN)."""
    found = {text, text.rsplit("/", 1)[-1]}
    if text.startswith("arn:"):
        found.add(text.rsplit(":", 1)[-1])
    return found


def _identities(resource: Resource) -> set[str]:
    """The names a stack's resource list may use for this resource: its ID or its name."""
    found = _forms(resource.id)
    if resource.name:
        found |= _forms(resource.name)
    return found


def _stack_region(stack_id: str) -> str | None:
    """arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid> -> region."""
    parts = stack_id.split(":")
    return parts[3] if len(parts) > 5 and parts[2] == "cloudformation" else None


class _Stacks:
    def __init__(self, stacks: Sequence[Resource]) -> None:
        self.by_id: dict[str, Resource] = {}
        self.by_member: dict[str, list[Resource]] = {}
        for stack in stacks:
            for stack_id in (stack.id, *stack.attributes.get(STACK_IDS, ())):
                self.by_id[stack_id] = stack
            for member in stack.attributes.get(MEMBERS, ()):
                service, _, physical_id = member.partition("|")
                for form in _forms(physical_id):
                    self.by_member.setdefault(member_key(service, form), []).append(stack)

    def owner(self, resource: Resource) -> Resource | None:
        tag = (resource.tags or {}).get(STACK_ID_TAG)
        if tag and tag in self.by_id:
            return self.by_id[tag]
        service = resource.type_key.split(":", 1)[0]
        for identity in _identities(resource):
            for stack in self.by_member.get(member_key(service, identity), ()):
                if stack.account == resource.account and (
                    stack.region == resource.region or resource.region == GLOBAL_REGION
                ):
                    return stack
        return None


def _unknown_owner_reason(resource: Resource, listed: Mapping[str, frozenset[str]]) -> str | None:
    """Why a resource tagged with a stack the run did not find is kept (None: its stack is gone)."""
    tags = resource.tags or {}
    stack_id = tags.get(STACK_ID_TAG)
    if not stack_id or any(key in tags for key in OTHER_OWNER_TAGS):
        return None
    name = tags.get(STACK_NAME_TAG) or stack_id
    region = _stack_region(stack_id)
    if name.startswith("StackSet-"):
        return f"created by CloudFormation stack {name}, which a StackSet manages: left to the StackSet"
    if region is None or region not in listed.get(resource.account, frozenset()):
        return (
            f"created by CloudFormation stack {name}, which this run does not list; select "
            f"{STACK_TYPE}{f' in {region}' if region else ''} to delete it with its stack"
        )
    return None  # the stack is gone and left this resource behind (DeletionPolicy: Retain)


def resolve(
    chosen: Iterable[Resource],
    kept: Iterable[Kept],
    listed: Mapping[str, frozenset[str]],
) -> Ownership:
    """Apply stack ownership to a destroy's chosen resources (see the module's docstring).

    `kept` is what the keep rules keep (a kept stack keeps its members); `listed` maps each account
    to the regions where the run listed the stacks successfully.
    """
    resources = list(chosen)
    kept_stacks = {k.resource.id: k.reason for k in kept if k.resource.type_key == STACK_TYPE}
    all_stacks = [r for r in resources if r.type_key == STACK_TYPE]
    all_stacks += [k.resource for k in kept if k.resource.type_key == STACK_TYPE]
    stacks = _Stacks(all_stacks)
    result = Ownership(chosen=[])
    others: list[Resource] = []
    for resource in resources:
        if resource.type_key == STACK_TYPE:
            others.append(resource)
            continue
        owner = stacks.owner(resource)
        if owner is None:
            reason = _unknown_owner_reason(resource, listed)
            if reason is None:
                others.append(resource)
            else:
                result.kept.append(Kept(resource, reason))
            continue
        label = f"CloudFormation stack {owner.name or owner.id}"
        if owner.id in kept_stacks:
            result.kept.append(Kept(resource, f"created by {label}, which is kept ({kept_stacks[owner.id]})"))
        else:
            result.stack_of[resource.ref] = owner
            result.with_stack.append(Kept(resource, f"deleted with {label}"))
    members = [k.resource for k in result.with_stack]
    result.chosen = _relink(others, members, result.stack_of)
    return _keep_what_the_user_keeps(result, kept, stacks, kept_stacks)


def _keep_what_the_user_keeps(
    result: Ownership, kept: Iterable[Kept], stacks: _Stacks, kept_stacks: Mapping[str, str]
) -> Ownership:
    """A stack would delete what it created, kept or not: a stack holding a resource the user keeps
    (a tag filter) links to it, so that it is held back, and its members with it."""
    holds: dict[Ref, list[Link]] = {}
    for k in kept:
        owner = stacks.owner(k.resource)
        if k.resource.type_key == STACK_TYPE or owner is None or owner.id in kept_stacks:
            continue
        region = k.resource.region if k.resource.region != owner.region else None
        holds.setdefault(owner.ref, []).append(Link(k.resource.type_key, k.resource.id, KEEPS, region))
    if holds:
        result.chosen = [
            replace(r, links=(*r.links, *holds[r.ref])) if r.ref in holds else r for r in result.chosen
        ]
    return result


def _relink(
    resources: list[Resource], members: list[Resource], stack_of: Mapping[Ref, Resource]
) -> list[Resource]:
    """Links to a stack's members become links to the stack; a stack takes on the links its members
    have to resources outside it (it cannot delete them while those exist)."""
    inherited: dict[Ref, list[Link]] = {}
    for member in members:
        stack = stack_of[member.ref]
        inherited.setdefault(stack.ref, []).extend(
            _through(member, link, stack_of, stack) for link in member.links
        )
    out = []
    for resource in resources:
        links = [_through(resource, link, stack_of, resource) for link in resource.links]
        links += inherited.get(resource.ref, [])
        links = [link for link in dict.fromkeys(links) if resource.ref_of(link) != resource.ref]
        out.append(replace(resource, links=tuple(links)) if links != list(resource.links) else resource)
    return out


def _through(holder: Resource, link: Link, stack_of: Mapping[Ref, Resource], new_holder: Resource) -> Link:
    """One of `holder`'s links, as `new_holder`'s: to the stack when it names a stack's member."""
    target = holder.ref_of(link)
    stack = stack_of.get(target)
    if stack is not None:
        link = Link(stack.type_key, stack.id, f"{link.relation} {link.id}, {MEMBER_RELATION}")
        target = stack.ref
    region = target[1] if target[1] != new_holder.region else None
    return link if link.region == region else replace(link, region=region)
