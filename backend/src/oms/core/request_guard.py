"""What every request must pass before a route sees it: a bounded body, and no NUL character
in its path, query or body (PostgreSQL cannot store one in text, so it would fail deep
inside instead of being refused here as the client's mistake).

Pure ASGI: a body is read once, counted as it arrives (a client cannot make the process hold
more than the limit, whatever Content-Length says), and handed on unchanged.
"""

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oms.core.errors import PROBLEM_JSON, PROBLEM_TYPE_PREFIX, field_error

NUL = "\x00"
_JSON_NUL = b"\\u0000"


class _Refused(Exception):
    def __init__(self, status: int, title: str, detail: str, **extra: Any) -> None:
        self.status, self.title, self.detail, self.extra = status, title, detail, extra


def _nul_in_document(document: Any, path: tuple[str, ...] = ()) -> str | None:
    """The dotted path of the first string (or key) in `document` holding a NUL."""
    if isinstance(document, str):
        return ".".join(path) if NUL in document else None
    if isinstance(document, dict):
        for key, value in document.items():
            if NUL in key:
                return ".".join((*path, key.replace(NUL, "\\u0000")))
            found = _nul_in_document(value, (*path, key))
            if found is not None:
                return found
    if isinstance(document, list):
        for index, value in enumerate(document):
            found = _nul_in_document(value, (*path, str(index)))
            if found is not None:
                return found
    return None


def _refuse_nul(field: str, where: str) -> _Refused:
    return _Refused(
        400,
        "Invalid request",
        "Text may not contain the NUL character (U+0000).",
        slug="validation",
        errors=[field_error(field or where, "contains a NUL character", type_="nul", in_=where)],
    )


def _check_query(query: str) -> None:
    for name, value in parse_qsl(query, keep_blank_values=True):
        if NUL in name or NUL in value:
            raise _refuse_nul(name.replace(NUL, "\\u0000"), "query")


def _check_body(body: bytes, content_type: str) -> None:
    if "json" in content_type and _JSON_NUL in body:
        try:
            document = json.loads(body)
        except ValueError:
            return  # not JSON: the route's own parsing refuses it
        field = _nul_in_document(document)
        if field is not None:
            raise _refuse_nul(field, "body")
    elif "application/x-www-form-urlencoded" in content_type and b"%00" in body:
        try:
            _check_query(body.decode("latin-1"))
        except _Refused as refused:
            refused.extra["errors"][0]["in"] = "body"
            raise


class RequestGuardMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            if NUL in scope["path"]:
                raise _refuse_nul("path", "path")
            _check_query(scope.get("query_string", b"").decode("latin-1"))
            body = await self._read_body(scope, receive)
        except _Refused as refused:
            await _answer(scope, send, refused)
            return
        if body is None:
            await self.app(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, checked; None for a request that has none."""
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is None and b"chunked" not in headers.get(b"transfer-encoding", b""):
            return None
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        _check_body(body, headers.get(b"content-type", b"").decode("latin-1").lower())
        return body

    def _too_large(self) -> _Refused:
        return _Refused(
            413,
            "Content Too Large",
            f"The request body is larger than the {self.max_body_bytes} bytes this API takes.",
            slug="body-too-large",
            max_bytes=self.max_body_bytes,
        )


async def _answer(scope: Scope, send: Send, refused: _Refused) -> None:
    slug = refused.extra.pop("slug")
    problem = {
        "type": PROBLEM_TYPE_PREFIX + slug,
        "title": refused.title,
        "status": refused.status,
        "detail": refused.detail,
        "instance": scope["path"].replace(NUL, "\\u0000"),
        **refused.extra,
    }
    body = json.dumps(problem).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if refused.status == 413:
        # The rest of the body was not read: the connection cannot carry another request.
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
