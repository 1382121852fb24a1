"""A client has a bounded time to send a request, so slow ones cannot hold the server.

uvicorn bounds only the idle time between requests (keep-alive). Here:

- `HeaderTimeoutProtocol`, uvicorn's httptools protocol with a timer from a connection's
  (or a keep-alive request's) first byte to the end of its headers: a client that trickles
  headers (slowloris) is answered 408 and disconnected, so each holds a socket for at most
  `OMS_CLIENT_HEADER_TIMEOUT` seconds;
- `BodyTimeoutMiddleware`, which gives the whole body `OMS_CLIENT_BODY_TIMEOUT` seconds from
  the end of the headers, then answers 408 and closes the connection.

Both answer problem+json (`urn:oms:problem:request-timeout`).
"""

import asyncio
import json
from http import HTTPStatus

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from oms.core.errors import PROBLEM_JSON, PROBLEM_TYPE_PREFIX

TIMEOUT = HTTPStatus.REQUEST_TIMEOUT


def _problem(detail: str, instance: str) -> bytes:
    return json.dumps(
        {
            "type": f"{PROBLEM_TYPE_PREFIX}request-timeout",
            "title": TIMEOUT.phrase,
            "status": TIMEOUT.value,
            "detail": detail,
            "instance": instance,
        }
    ).encode()


class HeaderTimeoutProtocol(HttpToolsProtocol):
    header_timeout: float = 10.0

    _header_timer: asyncio.TimerHandle | None = None

    @classmethod
    def with_timeout(cls, seconds: float) -> type["HeaderTimeoutProtocol"]:
        return type(cls.__name__, (cls,), {"header_timeout": seconds})

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._disarm_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._disarm_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # A pipelined request is still being answered: close once it is.
            self.cycle.keep_alive = False
            return
        path = (getattr(self, "url", b"") or b"/").split(b"?")[0].decode("latin-1")
        body = _problem(
            f"The request's headers did not arrive within {self.header_timeout:g} seconds.", path
        )
        head = (
            f"HTTP/1.1 {TIMEOUT.value} {TIMEOUT.phrase}\r\n"
            f"content-type: {PROBLEM_JSON}\r\n"
            f"content-length: {len(body)}\r\n"
            "connection: close\r\n\r\n"
        )
        self.transport.write(head.encode() + body)
        self.transport.close()


class _BodyTooSlow(Exception):
    pass


class BodyTimeoutMiddleware:
    """Pure ASGI, outside everything that reads the body (the request guard reads it first)."""

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        body_complete = False
        response_started = False

        async def bounded_receive() -> Message:
            nonlocal body_complete
            if body_complete:  # later calls wait for a disconnect, which may rightly take long
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _BodyTooSlow from None
            body_complete = message["type"] != "http.request" or not message.get("more_body")
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded_receive, tracked_send)
        except _BodyTooSlow:
            if response_started:
                raise
            await self._answer(scope, send)

    async def _answer(self, scope: Scope, send: Send) -> None:
        body = _problem(
            f"The request's body did not arrive within {self.seconds:g} seconds.", scope["path"]
        )
        headers = [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
            # The rest of the body was not read: the connection cannot carry another request.
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": TIMEOUT.value, "headers": headers})
        await send({"type": "http.response.body", "body": body})
