"""A TCP proxy for fault tests, put between OMS and PostgreSQL or RabbitMQ.

It runs its own event loop in a thread, so it keeps forwarding while a test blocks (a
synchronous HTTP call to an OMS subprocess) and works from sync and async tests alike.
Modes apply at once to open connections and to new ones:

- `PASS`: forwards both ways;
- `DELAY`: forwards every chunk after `delay` seconds;
- `DROP`: accepts connections and forwards nothing, as a network that drops every packet
  (nothing is refused and nothing answers); what was sent meanwhile arrives once the proxy
  passes again, as TCP retransmits it after a partition heals, unless a peer gave up first;
- `RESET`: resets every open connection and each new one, as a stopped server would.
"""

import asyncio
import enum
import socket
import struct
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

T = TypeVar("T")


class Mode(enum.Enum):
    PASS = "pass"
    DELAY = "delay"
    DROP = "drop"
    RESET = "reset"


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST rather than FIN (SO_LINGER with a zero timeout)."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = Mode.PASS
        self.delay = 0.0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._healed = asyncio.Event()
        self._healed.set()

    @classmethod
    def to_url(cls, url: str, default_port: int) -> "FaultProxy":
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or default_port)

    def url(self, url: str) -> str:
        """`url` with its host and port replaced by the proxy's."""
        parts = urlsplit(url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else f"127.0.0.1:{self.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    def start(self) -> "FaultProxy":
        self._thread.start()
        self._run(self._listen())
        return self

    def stop(self) -> None:
        self._run(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def set(self, mode: Mode, delay: float = 0.0) -> None:
        self._run(self._set(mode, delay))

    def pass_through(self) -> None:
        self.set(Mode.PASS)

    async def _set(self, mode: Mode, delay: float) -> None:
        self.mode, self.delay = mode, delay
        if mode is Mode.DROP:
            self._healed.clear()
        else:
            self._healed.set()
        if mode is Mode.RESET:
            for writer in list(self._writers):
                _reset(writer)
            self._writers.clear()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode is Mode.RESET:
            _reset(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            _reset(writer)
            return
        self._writers |= {writer, up_writer}
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self._writers -= {writer, up_writer}

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self._healed.wait()
                if self.mode is Mode.DELAY:
                    await asyncio.sleep(self.delay)
                if self.mode is Mode.RESET:
                    break
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
