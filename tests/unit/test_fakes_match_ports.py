"""Every port has a fake in tests/fakes, with the port's methods and their parameters."""

from __future__ import annotations

import inspect
from typing import Protocol

import pytest

from costzero.application import ports
from tests.fakes.checkpoints import FakeCheckpoints
from tests.fakes.clock import FakeClock
from tests.fakes.cloud import FakeCloud, FakeHandler
from tests.fakes.executor import SimulatedExecutor, SynchronousExecutor
from tests.fakes.park_handler import FakeParkHandler
from tests.fakes.pricing import FakePricer, FakePriceSource
from tests.fakes.run_repository import FakeRunRepository
from tests.fakes.snapshots import FakeSnapshotRepository
from tests.fakes.spend import FakeSpendSource
from tests.fakes.state_backup import FakeStateBackup

FAKES: dict[str, tuple[type, ...]] = {
    "Discoverer": (FakeHandler, FakeParkHandler),
    "ResourceHandler": (FakeHandler,),
    "CloudAccess": (FakeCloud,),
    "TaskExecutor": (SynchronousExecutor, SimulatedExecutor),
    "Clock": (FakeClock,),
    "RunRepository": (FakeRunRepository,),
    "ParkHandler": (FakeParkHandler,),
    "SnapshotRepository": (FakeSnapshotRepository,),
    "Checkpoints": (FakeCheckpoints,),
    "StateBackup": (FakeStateBackup,),
    "Pricer": (FakePricer,),
    "PriceSource": (FakePriceSource,),
    "SpendSource": (FakeSpendSource,),
}


def _ports() -> dict[str, type]:
    return {
        name: value
        for name, value in vars(ports).items()
        if inspect.isclass(value) and Protocol in value.__mro__[1:] and value.__module__ == ports.__name__
    }


def test_every_port_has_a_fake():
    assert set(_ports()) == set(FAKES)


def _members(port: type) -> list[str]:
    return [name for name in vars(port) if not name.startswith("_")]


@pytest.mark.parametrize(("port", "fake"), [(p, f) for p, fakes in FAKES.items() for f in fakes])
def test_a_fake_has_its_ports_members_with_the_same_parameters(port, fake):
    protocol = _ports()[port]
    names = _members(protocol)
    assert names, f"{port} declares nothing"
    for name in names:
        declared = getattr(protocol, name)
        if isinstance(declared, property) or not callable(declared):
            assert name in dir(fake) or name in getattr(fake, "__dataclass_fields__", {}), name
            continue
        wanted = list(inspect.signature(declared).parameters)
        assert list(inspect.signature(getattr(fake, name)).parameters) == wanted, f"{fake.__name__}.{name}"
