"""Keyset (cursor) pagination shared by every listing endpoint.

A listing orders its rows by a unique key (e.g. `(created_at, id)`), fetches `limit + 1`
rows after the key of the last row the client saw, and hands the client that key as an
opaque cursor. Rows inserted or deleted between two pages never make another row appear
twice or go missing, which offset pagination cannot promise.

The cursor is base64url of a small JSON list whose values carry their type, so a cursor
round-trips datetimes, UUIDs and decimals exactly. It is opaque to clients, not secret:
a forged cursor can only move where a listing the caller may already read starts.
"""

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, tuple_
from sqlalchemy.orm import QueryableAttribute

from oms.core.errors import ProblemError

CursorValue = str | int | bool | Decimal | datetime | uuid.UUID
"""What a cursor may hold: the values of the columns a listing is ordered by."""

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_CURSOR_LENGTH = 2048
# A cursor's values go to PostgreSQL as they are: each must fit the column it is compared
# with (a BIGINT, a TEXT without NUL, a timestamp within the years 1 to 9999 in UTC).
MIN_BIGINT, MAX_BIGINT = -(2**63), 2**63 - 1

PageLimit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}.")
]
PageCursor = Annotated[
    str | None,
    Query(
        max_length=MAX_CURSOR_LENGTH,
        description="`next_cursor` of the previous page; omit it for the first page.",
    ),
]


class Page(BaseModel, Generic[T]):
    """One page of a listing; `next_cursor` is null on the last page."""

    items: list[T]
    next_cursor: str | None


class InvalidCursor(ProblemError):
    status, slug, title = 400, "invalid-cursor", "Invalid cursor"

    def __init__(self) -> None:
        super().__init__("The cursor is not one this listing issued; start again without a cursor.")


def _tagged(value: CursorValue) -> list[str | int | bool]:
    # bool before int: True is an int to isinstance.
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, Decimal):
        return ["d", str(value)]
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("cursor datetimes must be timezone-aware")
        return ["t", value.isoformat()]
    return ["u", str(value)]


def _encodable(text: str) -> bool:
    """False for text holding a lone surrogate, which has no UTF-8 form."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _untagged(item: Any) -> CursorValue:
    if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
        raise ValueError("not a tagged value")
    tag, raw = item
    if tag == "b" and isinstance(raw, bool):
        return raw
    if tag == "i" and isinstance(raw, int) and not isinstance(raw, bool):
        if not MIN_BIGINT <= raw <= MAX_BIGINT:
            raise ValueError("beyond 64 bits")
        return raw
    if tag == "s" and isinstance(raw, str):
        if "\x00" in raw or not _encodable(raw):
            raise ValueError("not storable text")
        return raw
    if tag == "d" and isinstance(raw, str):
        number = Decimal(raw)
        if not number.is_finite():
            raise ValueError("not a finite decimal")
        return number
    if tag == "t" and isinstance(raw, str):
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            raise ValueError("naive datetime")
        moment.astimezone(UTC)  # OverflowError (refused) beyond the years 1 to 9999 in UTC
        return moment
    if tag == "u" and isinstance(raw, str):
        return uuid.UUID(raw)
    raise ValueError(f"unknown tag {tag!r}")


def encode_cursor(values: Sequence[CursorValue]) -> str:
    """The opaque cursor for a row whose ordering key is `values`."""
    payload = json.dumps([_tagged(value) for value in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *types: type) -> tuple[Any, ...]:
    """The key values inside `cursor`, checked to be of `types` in order.

    Raises `InvalidCursor` (400) for anything this module did not produce with that shape.
    """
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode())
        if not isinstance(raw, list):
            raise ValueError("not a list")
        values = tuple(_untagged(item) for item in raw)
    except (ValueError, OverflowError, UnicodeError, binascii.Error, InvalidOperation) as error:
        raise InvalidCursor() from error
    if len(values) != len(types) or not all(
        isinstance(value, kind) and not (isinstance(value, bool) and kind is int)
        for value, kind in zip(values, types, strict=True)
    ):
        raise InvalidCursor()
    return values


def keyset_after(
    columns: Sequence[ColumnElement[Any] | QueryableAttribute[Any]],
    values: Sequence[Any],
    *,
    descending: bool = False,
) -> ColumnElement[bool]:
    """`(columns) > (values)` (or `<` when descending): the rows after a cursor.

    All columns must sort in the same direction, so a row comparison that a composite
    index can serve expresses the keyset exactly.
    """
    left, right = tuple_(*columns), tuple_(*values)
    return left < right if descending else left > right


def page_of(
    rows: Sequence[R],
    limit: int,
    key: Callable[[R], Sequence[CursorValue]],
    item: Callable[[R], T],
) -> Page[T]:
    """The page for `rows` fetched with `LIMIT limit + 1`: the extra row only says more exist."""
    shown = rows[:limit]
    next_cursor = encode_cursor(key(shown[-1])) if len(rows) > limit and shown else None
    return Page(items=[item(row) for row in shown], next_cursor=next_cursor)
