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


@pytest.fixture(scope="session")
def moto_server() -> Iterator[EmbeddedMotoServer]:
    """One moto server on 127.0.0.1 for the whole session (real HTTP); tests reset it."""
    server = EmbeddedMotoServer().start()
    yield server
    server.stop()
