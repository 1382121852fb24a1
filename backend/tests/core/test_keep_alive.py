"""After an error the connection is either still usable or closed as announced: over a real
socket to a real server, each refusal is followed by another request on the same
connection, unless the refusal said `Connection: close`, and then the server does close."""

import json
import socket
import subprocess
import uuid
from collections.abc import Iterator

import pytest

from tests.processes import OMS, free_port, oms_env, wait_until_serving

MAX_BODY_BYTES = 2048
FOLLOW_UP = b"GET /health/live HTTP/1.1\r\nHost: oms\r\n\r\n"


@pytest.fixture(scope="module")
def port(database_url: str) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [OMS, "api"],
        env=oms_env(
            OMS_DATABASE_URL=database_url,
            OMS_PORT=str(port),
            OMS_MAX_BODY_BYTES=str(MAX_BODY_BYTES),
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/health/live", process)
        yield port
    finally:
        process.terminate()
        process.wait(30)


def _response(connection: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response read off the socket: status, headers, body (by Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        assert chunk, f"the connection closed before a response: {data!r}"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (x.split(":", 1) for x in lines)}
    while len(body) < int(headers.get("content-length", "0")):
        chunk = connection.recv(65536)
        assert chunk, "the connection closed inside a response body"
        body += chunk
    return int(status_line.split()[1]), headers, body


def _closed_by_server(connection: socket.socket) -> bool:
    try:
        return connection.recv(1) == b""
    except ConnectionResetError:
        return True


def _json_post(path: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: oms\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


REFUSALS = {
    "404 unknown route": (b"GET /api/v1/nothing-here HTTP/1.1\r\nHost: oms\r\n\r\n", 404),
    "401 without a token": (
        f"GET /api/v1/orders/{uuid.uuid4()} HTTP/1.1\r\nHost: oms\r\n\r\n".encode(),
        401,
    ),
    "400 NUL in the query": (b"GET /api/v1/products?q=%00 HTTP/1.1\r\nHost: oms\r\n\r\n", 400),
    "400 invalid fields": (_json_post("/api/v1/auth/register", b'{"email": 1}'), 400),
    "400 malformed JSON": (_json_post("/api/v1/auth/register", b'{"email": '), 400),
    "400 JSON too deep": (_json_post("/api/v1/auth/register", b"[" * 100 + b"]" * 100), 400),
    "413 declared, body unsent": (
        b"POST /api/v1/auth/register HTTP/1.1\r\nHost: oms\r\nContent-Type: application/json"
        b"\r\nContent-Length: 104857600\r\n\r\n{",
        413,
    ),
    "413 chunked, body partly read": (
        b"POST /api/v1/auth/register HTTP/1.1\r\nHost: oms\r\nContent-Type: application/json"
        b"\r\nTransfer-Encoding: chunked\r\n\r\n" + (b"400\r\n" + b" " * 1024 + b"\r\n") * 3,
        413,
    ),
}


@pytest.mark.parametrize(("request_bytes", "status"), REFUSALS.values(), ids=REFUSALS.keys())
def test_after_an_error_the_connection_serves_the_next_request_or_is_closed(
    port: int, request_bytes: bytes, status: int
) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request_bytes)
        answered, headers, _ = _response(connection)
        assert answered == status
        assert headers["content-type"] == "application/problem+json"
        if headers.get("connection", "").lower() == "close":
            assert _closed_by_server(connection)
            return
        connection.sendall(FOLLOW_UP)
        follow_up, _, body = _response(connection)
        assert follow_up == 200
        assert json.loads(body)["status"] == "ok"


def test_a_refusal_before_the_body_is_read_closes_the_connection(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(REFUSALS["413 declared, body unsent"][0])
        _, headers, _ = _response(connection)
        assert headers["connection"] == "close"
        assert _closed_by_server(connection)
