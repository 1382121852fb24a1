"""Slow clients cannot hold the server: over real sockets, a client that trickles its headers
or its body is answered 408 and disconnected, and a crowd of them does not keep a normal
request from being served."""

import asyncio
import json
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.api_process import Api, running

TIMEOUT_SECONDS = 1.0
# Low enough that slow connections held without a bound would use up the process's sockets.
MAX_OPEN_FILES = 256


@pytest.fixture(scope="module")
def api(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One process for the module: each test leaves it as it found it (no connection held)."""
    env = {
        "OMS_DATABASE_URL": database_url,
        "OMS_CLIENT_HEADER_TIMEOUT": str(TIMEOUT_SECONDS),
        "OMS_CLIENT_BODY_TIMEOUT": str(TIMEOUT_SECONDS),
    }
    with running(
        "api", tmp_path_factory.mktemp("api") / "api.log", env, max_open_files=MAX_OPEN_FILES
    ) as process:
        yield process


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def to(cls, api: Api) -> "Connection":
        return cls(*await asyncio.open_connection("127.0.0.1", api.port))

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def response(self, within: float = 5.0) -> tuple[int, dict[str, str], bytes]:
        async with asyncio.timeout(within):
            head = await self.reader.readuntil(b"\r\n\r\n")
            status_line, *lines = head.decode("latin-1").split("\r\n")
            headers = dict(line.lower().split(": ", 1) for line in lines if line)
            body = await self.reader.readexactly(int(headers["content-length"]))
        return int(status_line.split()[1]), headers, body

    async def closed_by_server(self, within: float = 5.0) -> bool:
        async with asyncio.timeout(within):
            return await self.reader.read(1) == b""

    def close(self) -> None:
        self.writer.close()


HEAD_OF_A_GET = b"GET /health/live HTTP/1.1\r\nHost: oms\r\n"
A_GET = HEAD_OF_A_GET + b"\r\n"


def assert_request_timeout(status: int, headers: dict[str, str], body: bytes) -> None:
    assert status == 408
    assert headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"
    assert json.loads(body)["type"] == "urn:oms:problem:request-timeout"


async def test_headers_sent_too_slowly_are_answered_408_and_the_connection_closed(
    api: Api,
) -> None:
    connection = await Connection.to(api)
    started = time.monotonic()
    await connection.send(HEAD_OF_A_GET)  # and never the blank line that ends the headers

    assert_request_timeout(*await connection.response())
    assert await connection.closed_by_server()
    assert TIMEOUT_SECONDS <= time.monotonic() - started < TIMEOUT_SECONDS + 1.5
    connection.close()


async def test_the_next_request_on_a_kept_alive_connection_is_bounded_too(api: Api) -> None:
    connection = await Connection.to(api)
    await connection.send(A_GET)
    assert (await connection.response())[0] == 200
    await asyncio.sleep(TIMEOUT_SECONDS * 0.8)  # idle, within the keep-alive timeout

    # Sent in time: the bound runs from the request's first byte, not the connection's.
    for part in (b"GET /health/live HTTP/1.1\r\n", b"Host: oms\r\n", b"\r\n"):
        await connection.send(part)
        await asyncio.sleep(TIMEOUT_SECONDS * 0.3)
    assert (await connection.response())[0] == 200

    await connection.send(HEAD_OF_A_GET)
    assert_request_timeout(*await connection.response())
    connection.close()


def _sign_in_head(length: int) -> bytes:
    return (
        b"POST /api/v1/auth/token HTTP/1.1\r\nHost: oms\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: " + str(length).encode() + b"\r\n\r\n"
    )


async def test_a_body_sent_too_slowly_is_answered_408_and_the_connection_closed(
    api: Api,
) -> None:
    body = b"grant_type=password&username=a%40example.test&password=wrong-password"
    connection = await Connection.to(api)
    started = time.monotonic()
    await connection.send(_sign_in_head(len(body)) + body[:10])

    assert_request_timeout(*await connection.response())
    assert await connection.closed_by_server()
    assert TIMEOUT_SECONDS <= time.monotonic() - started < TIMEOUT_SECONDS + 1.5
    connection.close()


async def test_a_body_sent_slowly_but_in_time_is_served(api: Api) -> None:
    body = b"grant_type=password&username=a%40example.test&password=wrong-password"
    connection = await Connection.to(api)
    await connection.send(_sign_in_head(len(body)))
    for start in range(0, len(body), len(body) // 3 + 1):
        await asyncio.sleep(TIMEOUT_SECONDS * 0.2)
        await connection.send(body[start : start + len(body) // 3 + 1])

    status, _, answer = await connection.response()
    assert status == 401, answer
    connection.close()


async def _slowloris(api: Api, stop: asyncio.Event) -> None:
    """Headers a line at a time, never finished, for as long as the server keeps listening."""
    try:
        connection = await Connection.to(api)
    except OSError:
        return
    try:
        await connection.send(HEAD_OF_A_GET)
        while not stop.is_set():
            try:
                async with asyncio.timeout(0.25):
                    if await connection.reader.read(65536) == b"":
                        return
            except TimeoutError:
                await connection.send(b"X-Slow: 1\r\n")
    except OSError:
        return
    finally:
        connection.close()


@pytest.mark.timeout(60)
async def test_many_slow_header_connections_do_not_stop_a_normal_request(api: Api) -> None:
    stop = asyncio.Event()
    attackers: list[asyncio.Task[None]] = []
    served: list[int] = []
    async with httpx.AsyncClient(base_url=api.url, timeout=3) as http:
        try:
            # 100 new slow connections a second for 5 seconds: twice the process's sockets.
            for second in range(5):
                for _ in range(100):
                    attackers.append(asyncio.create_task(_slowloris(api, stop)))
                    await asyncio.sleep(0.01)
                response = await http.get("/health/live", headers={"Connection": "close"})
                served.append(response.status_code)
                assert served[-1] == 200, f"second {second}"
        finally:
            stop.set()
            await asyncio.gather(*attackers)
    assert served == [200] * 5
