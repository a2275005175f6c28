import atexit
import gzip
import importlib.util
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from costzero.infrastructure.moto_server import EmbeddedMotoServer

# Tests never see real credentials or real endpoints.
for _name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
    os.environ.pop(_name, None)
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull


def _small_public_amis() -> None:
    """Have moto load only its 44 base public AMIs, not ~1300 more per region.

    After every reset moto builds each region's public AMIs again (a volume and a snapshot each:
    ~0.5 s per region) and answers DescribeImages(Owners=["amazon"]) with all of them (~4 s a call).
    MOTO_AMIS_PATH, read when moto is first imported (not before this file), replaces the list.
    """
    spec = importlib.util.find_spec("moto")
    if spec is None or not spec.submodule_search_locations or "MOTO_AMIS_PATH" in os.environ:
        return
    source = Path(next(iter(spec.submodule_search_locations))) / "ec2" / "resources" / "amis.json.gz"
    handle, name = tempfile.mkstemp(prefix="costzero-moto-amis-", suffix=".json")
    with os.fdopen(handle, "wb") as target:
        target.write(gzip.decompress(source.read_bytes()))
    atexit.register(os.remove, name)
    os.environ["MOTO_AMIS_PATH"] = name


_small_public_amis()


def _one_botocore_loader() -> None:
    """Have every botocore session in the test process share one data loader.

    Each SDK (each in-process CLI command, each generated example) builds its own boto3 session,
    and each session parses the service models again (~0.4 s for ec2, s3, sts and a few more).
    The loader holds only botocore's own JSON data, nothing of a session's credentials or config.
    """
    import botocore.loaders
    import botocore.session

    loaders: dict[str | None, botocore.loaders.Loader] = {}

    def shared_loader(search_path_string: str | None = None) -> botocore.loaders.Loader:
        if search_path_string not in loaders:
            loaders[search_path_string] = botocore.loaders.create_loader(search_path_string)
        return loaders[search_path_string]

    botocore.session.create_loader = shared_loader  # type: ignore[assignment]


_one_botocore_loader()


class SharedMotoServer(EmbeddedMotoServer):
    """The session's server, which knows whether it still holds a seed that tests share (`holds`)."""

    holds: str | None = None

    def reset(self) -> None:
        self.holds = None
        super().reset()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[SharedMotoServer]:
    """One moto server on 127.0.0.1 per session (per xdist worker), real HTTP; tests reset it.

    Tests that only read a seeded account may share one seeding instead (`tests/e2e/conftest.py`,
    `demo_account`): the server remembers it in `holds`, and forgets it whenever it may have changed.
    """
    server = SharedMotoServer().start()
    yield server
    server.stop()


# The fixtures of tests that promise to change nothing on the server (tests/e2e/conftest.py); a
# test that changes it asks for `blank` or resets it, which makes the server forget what it holds.
READ_ONLY = ("demo_account", "cli_env")


@pytest.fixture(autouse=True)
def _other_tests_spoil_the_shared_seed(request: pytest.FixtureRequest) -> None:
    """Any other test on the server may change it: the next reader seeds anew."""
    if "moto_server" in request.fixturenames and not set(READ_ONLY) & set(request.fixturenames):
        request.getfixturevalue("moto_server").holds = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A reader that failed may have changed what it meant only to read: the next one seeds anew."""
    outcome = yield
    server = getattr(item, "funcargs", {}).get("moto_server")
    if outcome.get_result().failed and isinstance(server, SharedMotoServer):
        server.holds = None
