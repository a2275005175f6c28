import os
from collections.abc import Iterator

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


@pytest.fixture(scope="session")
def moto_server() -> Iterator[EmbeddedMotoServer]:
    """One moto server on 127.0.0.1 for the whole session (real HTTP); tests reset it."""
    server = EmbeddedMotoServer().start()
    yield server
    server.stop()
