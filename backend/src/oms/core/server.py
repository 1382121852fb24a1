"""Serving the app with uvicorn on a socket OMS binds itself, so a busy port is a clear error."""

import errno
import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from oms.core.client_timeouts import HeaderTimeoutProtocol
from oms.core.startup_errors import StartupError


def bind_socket(host: str, port: int, *, setting: str = "OMS_PORT") -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise StartupError(
                f"port {port} on {host} is already in use (set {setting})"
            ) from error
        raise StartupError(f"cannot listen on {host}:{port}: {error.strerror}") from error
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(
    app: FastAPI,
    *,
    host: str,
    port: int,
    shutdown_timeout: int,
    header_timeout: float,
    trusted_proxies: str = "",
) -> None:
    """Serve until SIGINT/SIGTERM; in-flight requests get `shutdown_timeout` seconds to finish.

    A client gets `header_timeout` seconds to send a request's headers (see
    `oms.core.client_timeouts`). Requests from `trusted_proxies` (comma-separated addresses,
    or `*`) have their client address taken from `X-Forwarded-For`; from anyone else, it is
    the socket peer."""
    sock = bind_socket(host, port)
    config = uvicorn.Config(
        app,
        http=HeaderTimeoutProtocol.with_timeout(header_timeout),
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=trusted_proxies,
        lifespan="on",
        timeout_graceful_shutdown=shutdown_timeout,
    )
    server = uvicorn.Server(config)
    try:
        with _stop_signals_return_normally():
            server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        raise StartupError("the API did not start; see the log above")


@contextmanager
def _stop_signals_return_normally() -> Iterator[None]:
    """uvicorn re-raises the stop signal once it has shut down; with the default handlers that
    kills the process before the caller can stop what it started (the embedded database)."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda *_: None)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
