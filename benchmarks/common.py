"""What every benchmark shares: no real credentials or profile, and the SDK on the local server."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from costzero.infrastructure.moto_server import EmbeddedMotoServer
from costzero.presentation.sdk import CostZero


def isolate_from_real_aws() -> None:
    """Fake credentials and no config files, so nothing but the local moto server can be reached."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )


def bench_sdk(
    server: EmbeddedMotoServer,
    directory: str,
    regions: list[str],
    workers: int,
    transitions: Mapping[str, float] | None = None,
) -> CostZero:
    """`transitions`: how long the server's state transitions take per type, told to costzero as
    it would be told about a real account (`wait.transitions` in costzero.yaml)."""
    return CostZero(
        None,
        endpoint_url=server.endpoint_url,
        regions=regions,
        database_url=f"sqlite:///{Path(directory) / 'bench.db'}",
        concurrency={"workers": workers, "per_service": max(1, workers // 2)},
        wait={
            "budget_seconds": 300,
            "first_delay": 0.25,
            "max_delay": 2.0,
            "transitions": dict(transitions or {}),
        },
    )


def calls_by_type(api_calls: Mapping[str, int], operation_type: Mapping[str, str]) -> Counter[str]:
    """Mutating calls counted by the resource type they work for ("service:Operation" otherwise)."""
    calls = Counter[str]()
    for operation, n in api_calls.items():
        calls[operation_type.get(operation, operation)] += n
    return calls


def save_results(name: str, results: Mapping[str, Any]) -> None:
    """benchmarks/results/<name>.json (ignored by git), for comparing runs."""
    folder = Path(__file__).parent / "results"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(results, indent=2))
