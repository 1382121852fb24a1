"""A small keep-alive HTTP/1.1 load generator.

Written on asyncio streams rather than an HTTP client library so that, on a machine whose
few cores the API and PostgreSQL also use, the load generator costs as little CPU as
possible and the figures describe OMS rather than the client.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed: float = 0.0
    server_cpu: float = 0.0  # seconds of the API process's CPU, when measured

    @property
    def ok(self) -> int:
        return self.statuses[201]

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
        return ordered[index]


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> "Connection":
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = await self.reader.readexactly(length) if length else b""
        return status, body

    def close(self) -> None:
        self.writer.close()


def post(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def run_load(
    host: str,
    port: int,
    next_request: Callable[[int], bytes],
    *,
    concurrency: int,
    duration: float,
    max_requests: int,
) -> LoadResult:
    """`concurrency` connections send requests back to back until `duration` seconds or
    `max_requests` requests, whichever comes first."""
    result = LoadResult()
    issued = 0
    deadline = time.monotonic() + duration

    async def client(number: int) -> None:
        nonlocal issued
        connection = await Connection.open(host, port)
        try:
            while issued < max_requests and time.monotonic() < deadline:
                issued += 1
                raw = next_request(number)
                started = time.perf_counter()
                status, _ = await connection.request(raw)
                result.latencies.append(time.perf_counter() - started)
                result.statuses[status] += 1
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result
