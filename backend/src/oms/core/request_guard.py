"""What every request must pass before a route sees it: a bounded body, JSON nested no
deeper than a bound, and no NUL character in its path, query or body (PostgreSQL cannot
store one in text, so it would fail deep inside instead of being refused here as the
client's mistake).

Nesting is bounded because every layer behind this one (the JSON parser, the JSON Schema
validator, response serialisation) recurses once per level and fails past Python's
recursion limit. It is measured without parsing: strings removed, brackets counted.

Pure ASGI: a body is read once, counted as it arrives (a client cannot make the process hold
more than the limit, whatever Content-Length says), and handed on unchanged.
"""

import json
import re
from itertools import accumulate
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oms.core.errors import PROBLEM_JSON, PROBLEM_TYPE_PREFIX, field_error

NUL = "\x00"
_JSON_NUL = b"\\u0000"
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]')
# What each byte adds to the nesting depth once strings are removed.
_DEPTH_STEP = [0] * 256
for _byte in b"[{":
    _DEPTH_STEP[_byte] = 1
for _byte in b"]}":
    _DEPTH_STEP[_byte] = -1


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


def _json_depth(body: bytes) -> int:
    """How deep arrays and objects nest in the JSON text `body`."""
    structure = _JSON_STRING.sub(b"", body)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, structure)), default=0)


def _too_deep_path(body: bytes, max_depth: int) -> str:
    """The dotted path of the first array or object nested deeper than `max_depth`."""
    path: list[str] = []  # per open container: the current key or index
    in_object: list[bool] = []
    awaiting_key = False
    for match in _JSON_TOKEN.finditer(body):
        token = match.group()
        if token in (b"{", b"["):
            if len(path) == max_depth:
                break
            path.append("0")
            in_object.append(token == b"{")
            awaiting_key = token == b"{"
        elif token in (b"}", b"]") and path:
            path.pop()
            in_object.pop()
            awaiting_key = False
        elif token == b"," and path:
            if in_object[-1]:
                awaiting_key = True
            else:
                path[-1] = str(int(path[-1]) + 1)
        elif token.startswith(b'"') and awaiting_key:
            try:
                path[-1] = str(json.loads(token))
            except ValueError:
                path[-1] = "?"
            awaiting_key = False
    return ".".join(path) or "body"


def _refuse_depth(body: bytes, max_depth: int) -> _Refused:
    return _Refused(
        400,
        "Invalid request",
        f"JSON in the body may nest arrays and objects at most {max_depth} deep.",
        slug="validation",
        errors=[
            field_error(
                _too_deep_path(body, max_depth),
                f"nested deeper than {max_depth} levels",
                type_="json_depth",
            )
        ],
    )


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


def _check_body(body: bytes, content_type: str, max_json_depth: int) -> None:
    if "json" in content_type and _json_depth(body) > max_json_depth:
        raise _refuse_depth(body, max_json_depth)
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
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_json_depth: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_json_depth = max_json_depth

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
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        _check_body(body, content_type, self.max_json_depth)
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
