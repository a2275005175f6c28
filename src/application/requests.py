"""From what the user asked (flags, a named group) and the configured defaults to a request: the
product rules of selection live here, not in the SDK or the CLI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from costzero.application.cleanup import DestroyRequest
from costzero.application.parking import ParkRequest
from costzero.domain.errors import BadInputError
from costzero.domain.resources import Action
from costzero.domain.safety import SafetyPolicy, TagFilter


@dataclass(frozen=True)
class NamedGroup:
    """A configured group for stop/start: resources carrying every tag, of `types` (all if empty)."""

    tags: Mapping[str, str | None] = field(default_factory=dict)
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class SelectionDefaults:
    """What the configuration says when a flag does not."""

    regions: tuple[str, ...] = ("us-east-1",)
    services: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    allowed_accounts: frozenset[str] = frozenset()
    blocked_accounts: frozenset[str] = frozenset()
    exclude_tags: tuple[TagFilter, ...] = ()
    max_resources: int | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, NamedGroup] = field(default_factory=dict)
    state_bucket: str | None = None  # costzero's own state backup: never destroyed
    disable_protection: tuple[str, ...] = ()  # types whose protection a destroy may turn off
    skip_final_snapshot: bool = False  # a destroy deletes databases without a final snapshot


class Selections:
    """Builds destroy and park requests; every run's policy protects costzero's own state bucket."""

    def __init__(self, defaults: SelectionDefaults) -> None:
        self._d = defaults

    def policy(self, accounts: Sequence[str] = ()) -> SafetyPolicy:
        d = self._d
        return SafetyPolicy(
            allowed_accounts=d.allowed_accounts | frozenset(accounts),
            blocked_accounts=d.blocked_accounts,
            exclude_tags=d.exclude_tags,
            max_resources=d.max_resources,
            own_resources=frozenset({f"s3:bucket:{d.state_bucket}"} if d.state_bucket else ()),
        )

    def destroy(
        self,
        regions: Sequence[str] | None = None,
        services: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        accounts: Sequence[str] = (),
    ) -> DestroyRequest:
        d = self._d
        return DestroyRequest(
            regions=tuple(regions or d.regions),
            services=tuple(services if services is not None else d.services),
            types=tuple(types if types is not None else d.types),
            policy=self.policy(accounts),
            aliases=dict(d.aliases),
            disable_protection=d.disable_protection,
            skip_final_snapshot=d.skip_final_snapshot,
        )

    def park(
        self,
        action: Action,
        regions: Sequence[str] | None = None,
        services: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        accounts: Sequence[str] = (),
        group: str | None = None,
        tags: Mapping[str, str | None] | None = None,
    ) -> ParkRequest:
        """A named group adds its tags (every one must match) and, unless types are given, its types.

        Raises:
            BadInputError: an unknown group.
        """
        d = self._d
        required = dict(tags or {})
        if group is not None:
            chosen = self.group(group)
            required.update(chosen.tags)
            types = types or chosen.types or None
        return ParkRequest(
            action=action,
            regions=tuple(regions or d.regions),
            services=tuple(services if services is not None else d.services),
            types=tuple(types if types is not None else d.types),
            policy=self.policy(accounts),
            aliases=dict(d.aliases),
            include_tags=tuple(TagFilter(k, v) for k, v in required.items()),
        )

    def group(self, name: str) -> NamedGroup:
        if name not in self._d.groups:
            known = ", ".join(sorted(self._d.groups)) or "none configured"
            raise BadInputError(f"unknown group {name!r} (known: {known})")
        return self._d.groups[name]
