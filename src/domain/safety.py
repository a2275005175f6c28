from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from costzero.domain.errors import BadInputError, SafetyRefusal
from costzero.domain.resources import Resource, ResourceTypeSpec


@dataclass(frozen=True)
class TagFilter:
    """`KEY=VALUE` (or `KEY` for any value): resources carrying the tag are kept."""

    key: str
    value: str | None = None

    @classmethod
    def parse(cls, text: str) -> TagFilter:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not key or (sep and not value.strip()) or text.count("=") > 1:
            raise BadInputError(f"bad tag filter {text!r}: expected KEY=VALUE or KEY")
        return cls(key, value.strip() if sep else None)

    def matches(self, tags: dict[str, str] | object) -> bool:
        if not isinstance(tags, dict):
            return False
        if self.key not in tags:
            return False
        return self.value is None or tags[self.key] == self.value

    def __str__(self) -> str:
        return self.key if self.value is None else f"{self.key}={self.value}"


@dataclass(frozen=True)
class Kept:
    resource: Resource
    reason: str


# Resource attributes a handler sets at discovery, which decide a destroy's plan before any call:
PROTECTION_FLAGS = ("deletion_protection", "termination_protection")  # the resource's own flag is on
# why the run cannot delete the resource at all (a global table's replica outside the selection,
# a member of a global database)
HELD = "held"
# why costzero itself keeps the resource, a copy it made to be safe (the final snapshot of a
# database it deleted); kept unless its type's protection may go
SAFETY_COPY = "safety_copy"


@dataclass
class DiscoverySplit:
    """A destroy's resources split by what discovery found (see `split_by_discovery`)."""

    chosen: list[Resource] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)  # safety copies
    protected: list[Kept] = field(default_factory=list)  # protection on, not to be turned off
    held: list[Kept] = field(default_factory=list)  # the run cannot delete them: planned blocked


def split_by_discovery(resources: Iterable[Resource], disable_protection: Iterable[str]) -> DiscoverySplit:
    """What discovery already decides, planned with no call (a dry run says so too):
    - costzero's safety copies are kept, so that a later destroy neither deletes them by accident
      nor counts them as left;
    - a resource whose protection flag is on is protected (protection turned on after discovery is
      still answered by the handler's delete);
    - what the run cannot delete at all is held (planned as blocked).
    `--disable-protection TYPE` lets the first two go for that type."""
    may_go = frozenset(disable_protection)
    split = DiscoverySplit()
    for resource in resources:
        attributes, type_key = resource.attributes, resource.type_key
        flag = next((f for f in PROTECTION_FLAGS if attributes.get(f)), None)
        if attributes.get(SAFETY_COPY) and type_key not in may_go:
            why = f"{attributes[SAFETY_COPY]}; --disable-protection {type_key} to delete it"
            split.kept.append(Kept(resource, why))
        elif flag and type_key not in may_go:
            why = f"{flag.replace('_', ' ')} on; --disable-protection {type_key} to delete it"
            split.protected.append(Kept(resource, why))
        elif attributes.get(HELD):
            split.held.append(Kept(resource, str(attributes[HELD])))
        else:
            split.chosen.append(resource)
    return split


@dataclass(frozen=True)
class SafetyPolicy:
    """The guard rails of a mutating run, as domain rules.

    - accounts: a run may only act in an allowed account (when an allow-list is given) and never in
      a blocked one;
    - keep filters fail closed: unreadable tags, or a type that carries no tags, means keep;
    - blast radius: more than `max_resources` resources to change refuses the whole run before the
      first mutating call;
    - a real run needs the account typed back, or `assume_yes` with the account in the allow-list.
    """

    allowed_accounts: frozenset[str] = frozenset()
    blocked_accounts: frozenset[str] = frozenset()
    exclude_tags: tuple[TagFilter, ...] = ()
    max_resources: int | None = None
    own_resources: frozenset[str] = frozenset()  # "type:id" of costzero's own state (backup bucket)

    def check_account(self, account: str) -> None:
        if account in self.blocked_accounts:
            raise SafetyRefusal(f"account {account} is in the block-list; refusing to touch it")
        if self.allowed_accounts and account not in self.allowed_accounts:
            raise SafetyRefusal(
                f"account {account} is not in the allow-list "
                f"({', '.join(sorted(self.allowed_accounts))}); add it with --account {account}"
            )

    def keep_reason(self, resource: Resource, spec: ResourceTypeSpec) -> str | None:
        """Why `resource` must be kept, or None when the filters let it go."""
        if f"{resource.type_key}:{resource.id}" in self.own_resources:
            return "costzero's own state: never touched"
        if not self.exclude_tags:
            return None
        filters = ", ".join(str(f) for f in self.exclude_tags)
        if not spec.taggable:
            return f"type {spec.key} carries no tags, so --exclude-tag {filters} cannot be checked"
        if resource.tags is None:
            return "tags could not be read (kept: fail closed)"
        tags = dict(resource.tags)
        for tag_filter in self.exclude_tags:
            if tag_filter.matches(tags):
                return f"tag {tag_filter}"
        return None

    def split(
        self, resources: Iterable[Resource], spec: ResourceTypeSpec
    ) -> tuple[list[Resource], list[Kept]]:
        chosen: list[Resource] = []
        kept: list[Kept] = []
        for resource in resources:
            reason = self.keep_reason(resource, spec)
            if reason is None:
                chosen.append(resource)
            else:
                kept.append(Kept(resource, reason))
        return chosen, kept

    def blast_radius_refusal(self, count: int) -> str | None:
        """Why a real run changing `count` resources would be refused (None: it would not be);
        plans and dry runs report it, a real run raises it."""
        if self.max_resources is not None and count > self.max_resources:
            return (
                f"{count} resources would be changed, more than the limit max_resources="
                f"{self.max_resources}; narrow the selection or raise the limit"
            )
        return None

    def check_blast_radius(self, count: int) -> None:
        refusal = self.blast_radius_refusal(count)
        if refusal is not None:
            raise SafetyRefusal(refusal)

    def authorize(
        self,
        accounts: Sequence[str],
        *,
        typed: str | None = None,
        assume_yes: bool = False,
        aliases: Iterable[str] = (),
    ) -> None:
        """Allow a real (mutating) run, or raise SafetyRefusal.

        `typed` is what the user typed at the confirmation prompt: it must be the account ID (or one
        of its aliases). `assume_yes` replaces the prompt only for accounts named in the allow-list.
        """
        for account in accounts:
            self.check_account(account)
        if assume_yes:
            missing = [a for a in accounts if a not in self.allowed_accounts]
            if missing:
                raise SafetyRefusal(
                    f"--yes needs the account in the allow-list; {', '.join(missing)} is not "
                    "(add it with --account or in costzero.yaml)"
                )
            return
        names = set(accounts) | set(aliases)
        if typed is None or typed.strip() not in names or len(accounts) != 1:
            raise SafetyRefusal("confirmation did not match the account; nothing was changed")
