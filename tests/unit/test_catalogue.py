"""Lint the whole handler catalogue, the way Custodian checks every registered resource."""

from __future__ import annotations

import configparser
import pkgutil
from pathlib import Path

import pytest

import costzero.infrastructure.aws.handlers as handlers_package
from costzero.containers import build_registry
from costzero.domain.resources import Action
from costzero.infrastructure.aws.handler_kit.base import AwsHandler
from costzero.infrastructure.aws.handlers import HANDLER_TYPES

ROOT = Path(__file__).resolve().parents[2]
HANDLER_MODULES = sorted(m.name for m in pkgutil.iter_modules(handlers_package.__path__))
ACTION_METHODS = {Action.DELETE: "delete", Action.STOP: "stop", Action.START: "start"}


def test_every_handler_module_is_registered_exactly_once():
    registered = sorted(h.__module__.rsplit(".", 1)[-1] for h in HANDLER_TYPES)
    assert registered == HANDLER_MODULES
    keys = [h.spec.key for h in HANDLER_TYPES]
    assert len(keys) == len(set(keys))


def test_the_registry_builds_every_requires_resolves_and_there_is_no_cycle():
    registry = build_registry()
    assert len(registry) == len(HANDLER_TYPES)


@pytest.mark.parametrize("handler", HANDLER_TYPES, ids=lambda h: h.spec.key)
def test_every_declared_action_is_implemented(handler):
    for action in handler.spec.actions:
        method = getattr(handler, ACTION_METHODS[action], None)
        assert method is not None and method is not getattr(AwsHandler, ACTION_METHODS[action], None), (
            f"{handler.spec.key} declares {action} but does not implement it"
        )
    assert handler.discover is not AwsHandler.discover


@pytest.mark.parametrize("module", HANDLER_MODULES)
def test_every_handler_has_an_integration_test(module):
    assert (ROOT / "tests" / "integration" / f"test_handler_{module}.py").is_file()


def test_the_independence_contract_covers_every_handler_by_pattern():
    """Adding a type touches no config: every module in `handlers` is a handler, and the contract
    names them all with one wildcard (shared plumbing lives in `handler_kit`)."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    listed = config["importlinter:contract:handlers"]["modules"].split()
    assert listed == ["costzero.infrastructure.aws.handlers.*"]
