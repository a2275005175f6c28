"""An embedded moto server on 127.0.0.1, for `costzero demo`, the tests and the benchmarks.

moto is an optional extra (`costzero[demo]`): it is imported only when a server is started.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from costzero.domain.errors import BadInputError
from costzero.infrastructure.moto_emulation import add_missing_apis

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _EmulatorFront:
    """WSGI middleware in front of moto: holds every request for `seconds` before moto answers it,
    and answers again a request that moto failed with "dictionary changed size during
    iteration": moto serializes a response while another request's thread changes the same
    backend (seen on DescribeInstances during concurrent discovery). Real AWS has no such race, so
    the emulator, not costzero, gets the second try; the request body is kept for it.
    """

    def __init__(self, app: WsgiApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self.seconds > 0:
            time.sleep(self.seconds)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        for attempt in range(3):
            environ["wsgi.input"] = io.BytesIO(body)
            try:
                return self.app(environ, start_response)
            except RuntimeError as error:
                if "changed size during iteration" not in str(error) or attempt == 2:
                    raise
        raise AssertionError("unreachable")


class EmbeddedMotoServer:
    """A threaded moto server bound to 127.0.0.1 on a free port.

    Args:
        latency: seconds added to every request (benchmarks use 0.03 to look like a real region).
    """

    def __init__(self, *, port: int = 0, latency: float = 0.0) -> None:
        self._port = port
        self._latency = latency
        self._server: Any = None
        self._app: _EmulatorFront | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> EmbeddedMotoServer:
        try:
            from moto.moto_server.werkzeug_app import (
                DomainDispatcherApplication,
                MotoRequestHandler,
                create_backend_app,
            )
            from werkzeug.serving import make_server
        except ImportError as error:
            raise BadInputError("the embedded AWS needs moto: pip install 'costzero[demo]'") from error
        add_missing_apis()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        self._app = _EmulatorFront(DomainDispatcherApplication(create_backend_app), self._latency)
        app: WsgiApp = self._app
        self._server = make_server(
            "127.0.0.1", self._port, app, threaded=True, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def set_latency(self, seconds: float) -> None:
        """Change the added latency of a running server (benchmarks seed fast, then measure)."""
        self._latency = seconds
        if self._app is not None:
            self._app.seconds = seconds

    def reset(self) -> None:
        """Forget every resource (moto's reset API)."""
        import urllib.request

        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None

    def __enter__(self) -> EmbeddedMotoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
