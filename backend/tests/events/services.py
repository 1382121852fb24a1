"""Real services the event tests talk to: an HTTP receiver, an SMTP server, a TCP proxy that
can cut a connection, and a RabbitMQ virtual host of the test run's own."""

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

# --- HTTP receiver -------------------------------------------------------------------------


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class HttpReceiver:
    """A tiny HTTP/1.1 server on 127.0.0.1: answers from `script` (then `default_status`),
    records every request; `hold` makes it wait before answering."""

    port: int = 0
    script: list[int] = field(default_factory=list)
    default_status: int = 200
    requests: list[ReceivedRequest] = field(default_factory=list)
    hold: asyncio.Event | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _server: asyncio.Server | None = None

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[ReceivedRequest]:
        return [request for request in self.requests if request.path == path]

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                _, path, _ = line.decode().split(" ", 2)
                headers: dict[str, str] = {}
                while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, value = header.decode().split(":", 1)
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status = self.script.pop(0) if self.script else self.default_status
                self.requests.append(ReceivedRequest(path, headers, body, status))
                self.arrived.set()
                if self.hold is not None:
                    await self.hold.wait()
                # A 204 has no body, nor a length (RFC 9110, 8.6): the connection goes on.
                content = (
                    "\r\n"
                    if status == 204
                    else "Content-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
                )
                writer.write(f"HTTP/1.1 {status} X\r\n{content}".encode())
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            writer.close()


# --- SMTP ----------------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    sender: str
    recipients: list[str]
    message: Message


class _Collector:
    def __init__(self) -> None:
        self.mails: list[ReceivedMail] = []
        self.failures_left = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.failures_left > 0:
            self.failures_left -= 1
            return "451 Try again later"
        content = envelope.original_content or b""
        self.mails.append(
            ReceivedMail(
                sender=str(envelope.mail_from),
                recipients=[str(item) for item in envelope.rcpt_tos],
                message=message_from_bytes(content),
            )
        )
        return "250 Message accepted"


class SmtpServer:
    def __init__(self) -> None:
        self.collector = _Collector()
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=free_port())

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    @property
    def mails(self) -> list[ReceivedMail]:
        return self.collector.mails

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


# --- RabbitMQ ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


def broker_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=60)


def create_vhost(base_url: str, name: str) -> str:
    """A virtual host of this test run's own, so parallel checkouts never share queues."""
    if shutil.which("rabbitmqctl") is None:
        raise RuntimeError("rabbitmqctl is needed to create a test virtual host")
    rabbitmqctl("add_vhost", name)
    user = base_url.split("://", 1)[1].split(":", 1)[0] or "guest"
    rabbitmqctl("set_permissions", "-p", name, user, ".*", ".*", ".*")
    return base_url.rstrip("/") + "/" + quote(name, safe="")


def delete_vhost(name: str) -> None:
    with contextlib.suppress(subprocess.SubprocessError, OSError):
        rabbitmqctl("delete_vhost", name)


def unique_vhost_name(tag: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"oms_test_{tag}_{worker}_{uuid.uuid4().hex[:6]}"


async def eventually(
    check: Callable[[], Awaitable[bool]], *, within: float = 30.0, interval: float = 0.05
) -> None:
    """Polls `check` until true; fails the test after `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {within}s")


def header_map(message: Message) -> dict[str, Any]:
    return {key.lower(): value for key, value in message.items()}
