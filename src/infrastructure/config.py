"""Settings: defaults < costzero.yaml < COSTZERO_* environment < explicit overrides (CLI flags)."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from costzero.application.orchestrator import WaitPolicy
from costzero.application.requests import NamedGroup, SelectionDefaults
from costzero.application.resource_manager import ConcurrencyLimits
from costzero.domain.errors import BadInputError
from costzero.domain.safety import TagFilter
from costzero.infrastructure.checkpoints import CRASH_VARIABLE

DEFAULT_CONFIG = Path("costzero.yaml")
ENV_PREFIX = "COSTZERO_"
# COSTZERO_* variables read by code other than the settings
OTHER_VARIABLES = frozenset({CRASH_VARIABLE})


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Accounts(_Section):
    allow: list[str] = Field(default_factory=list)
    block: list[str] = Field(default_factory=list)
    aliases: dict[str, str] = Field(default_factory=dict)


class Concurrency(_Section):
    workers: int = Field(8, ge=1, le=256)
    per_service: int = Field(4, ge=1)


class Wait(_Section):
    budget_seconds: float = Field(900.0, gt=0)
    first_delay: float = Field(1.0, gt=0)
    max_delay: float = Field(15.0, gt=0)
    min_poll: float = Field(0.25, gt=0)
    poll_fraction: float = Field(0.05, gt=0, le=1)
    # expected transition time per type (seconds), instead of the type's own (its spec)
    transitions: dict[str, float] = Field(default_factory=dict)


class Retries(_Section):
    max_attempts: int = Field(8, ge=1, le=20)


class Group(_Section):
    """A named selection for stop/start: resources carrying all `tags`, of `types` (all if empty)."""

    tags: dict[str, str] = Field(default_factory=dict)
    types: list[str] = Field(default_factory=list)


class StateBackup(_Section):
    """Where `stop` and `start` copy the JSON mirror of the park snapshots (optional)."""

    bucket: str | None = None
    key: str = "costzero/state.json"
    region: str = "us-east-1"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", yaml_file=None
    )

    regions: list[str] = Field(default_factory=lambda: ["us-east-1"])
    services: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    accounts: Accounts = Field(default_factory=Accounts)
    exclude_tags: list[str] = Field(default_factory=list)
    max_resources: int | None = Field(None, ge=0)
    concurrency: Concurrency = Field(default_factory=Concurrency)
    wait: Wait = Field(default_factory=Wait)
    retries: Retries = Field(default_factory=Retries)
    groups: dict[str, Group] = Field(default_factory=dict)
    state_backup: StateBackup = Field(default_factory=StateBackup)
    database_url: str | None = None
    endpoint_url: str | None = None
    profile: str | None = None
    # destroy: protection flags (deletion/termination protection) of these types may be turned
    # off to delete; by default a protected resource is kept and reported
    disable_protection: list[str] = Field(default_factory=list)
    # destroy: also the default VPC and its default subnets, route table, network ACL and group
    include_defaults: bool = False
    # destroy: delete RDS instances and clusters and Redshift clusters without a final snapshot
    # (kept by default)
    skip_final_snapshot: bool = False
    # destroy: a CloudFormation stack still DELETE_FAILED after its attempts is deleted once more
    # with RetainResources (what it could not delete stays, no longer the stack's)
    retain_failed_stack_resources: bool = False

    @field_validator("exclude_tags")
    @classmethod
    def _valid_tags(cls, values: list[str]) -> list[str]:
        for value in values:
            TagFilter.parse(value)  # raises BadInputError with the reason
        return values

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_file = settings_cls.model_config.get("yaml_file")
        return (init_settings, env_settings, YamlConfigSettingsSource(settings_cls, yaml_file=yaml_file))

    def selection_defaults(self) -> SelectionDefaults:
        """What the selection rules (application/requests.py) fall back on when a flag is absent."""
        return SelectionDefaults(
            regions=tuple(self.regions),
            services=tuple(self.services),
            types=tuple(self.types),
            allowed_accounts=frozenset(self.accounts.allow),
            blocked_accounts=frozenset(self.accounts.block),
            exclude_tags=self.tag_filters(),
            max_resources=self.max_resources,
            aliases=dict(self.accounts.aliases),
            groups={
                name: NamedGroup(dict(group.tags), tuple(group.types)) for name, group in self.groups.items()
            },
            state_bucket=self.state_backup.bucket,
            disable_protection=tuple(self.disable_protection),
            skip_final_snapshot=self.skip_final_snapshot,
        )

    def tag_filters(self) -> tuple[TagFilter, ...]:
        return tuple(TagFilter.parse(value) for value in self.exclude_tags)

    def limits(self) -> ConcurrencyLimits:
        return ConcurrencyLimits(self.concurrency.workers, self.concurrency.per_service)

    def wait_policy(self) -> WaitPolicy:
        wait = self.wait
        return WaitPolicy(
            wait.budget_seconds,
            wait.first_delay,
            wait.max_delay,
            min_poll=wait.min_poll,
            poll_fraction=wait.poll_fraction,
            transitions=dict(wait.transitions),
        )


def load_settings(config_file: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Build the settings. Raises BadInputError with one line for anything unusable."""
    if config_file is not None and not config_file.is_file():
        raise BadInputError(f"config file {config_file} not found")
    path = config_file or (DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None)
    source = str(path) if path else "settings"
    if path is not None:
        _check_yaml(path)
    check_environment(os.environ)
    given = {key: value for key, value in (overrides or {}).items() if value is not None}

    class _FileSettings(Settings):
        model_config = SettingsConfigDict(yaml_file=path)

    try:
        return Settings.model_validate(_FileSettings(**given).model_dump())
    except ValidationError as error:
        raise BadInputError(f"{source}: {_describe(error)}") from None
    except BadInputError as error:
        raise BadInputError(f"{source}: {error}") from None


def check_environment(environ: Mapping[str, str]) -> None:
    """Refuse a `COSTZERO_*` variable that names no setting (pydantic-settings would ignore it, so a
    typo such as COSTZERO_REGION would silently change nothing)."""
    known = _variable_names(Settings, ENV_PREFIX)
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or upper in OTHER_VARIABLES or _is_known(upper, known):
            continue
        close = difflib.get_close_matches(upper, sorted(known), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise BadInputError(f"unknown setting {name}{hint}")


def _variable_names(model: type[BaseModel], prefix: str) -> dict[str, bool]:
    """Every variable name the settings read -> whether names below it are free (dict fields)."""
    names: dict[str, bool] = {}
    for field_name, field in model.model_fields.items():
        name = f"{prefix}{field_name.upper()}"
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names[name] = False
            names.update(_variable_names(annotation, name + "__"))
        else:
            names[name] = True
    return names


def _is_known(name: str, known: Mapping[str, bool]) -> bool:
    if name in known:
        return True
    parent, _, _ = name.rpartition("__")
    while parent:
        if known.get(parent):
            return True  # a key inside a mapping setting (COSTZERO_GROUPS__NAME)
        parent, _, _ = parent.rpartition("__")
    return False


def _check_yaml(path: Path) -> None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise BadInputError(f"{path}: invalid YAML{where}: {problem}") from None
    except OSError as error:
        raise BadInputError(f"{path}: cannot read: {error.strerror}") from None
    if data is not None and not isinstance(data, dict):
        raise BadInputError(f"{path}: the top level must be a mapping of settings")


def _describe(error: ValidationError) -> str:
    errors = error.errors()
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        text = f"unknown key '{where}'"
    else:
        message = str(first["msg"]).removeprefix("Value error, ")
        text = f"{where}: {message}" if where else message
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return text.replace("\n", " ") + more
