"""Conditional requests over HTTP: the `If-Match` / `If-None-Match` headers routes take, and
answers that carry the representation's `ETag` (the checks themselves: `oms.core.etags`)."""

from typing import Annotated, Any

from fastapi import Header, Response, status
from pydantic import BaseModel

from oms.core.etags import etag

IfMatch = Annotated[
    str | None, Header(alias="If-Match", description="The ETag you read: 412 if stale.")
]
IfNoneMatch = Annotated[
    str | None, Header(alias="If-None-Match", description="An ETag you hold: 304 if current.")
]
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "If-None-Match matched: your copy is current."}
}


def tagged_json(body: BaseModel, version: int, headers: dict[str, str] | None = None) -> Response:
    """`body` as JSON, with the ETag of `version` (and any other `headers`)."""
    return Response(
        body.model_dump_json(),
        media_type="application/json",
        headers={"ETag": etag(version), **(headers or {})},
    )


def not_modified(version: int) -> Response:
    return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag(version)})
