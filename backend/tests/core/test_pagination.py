"""Cursors round-trip their key values exactly and refuse anything else."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from oms.core.pagination import InvalidCursor, decode_cursor, encode_cursor, page_of


def test_a_cursor_round_trips_typed_values() -> None:
    moment = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=UTC)
    key = uuid.uuid4()
    values = (moment, key, "ch-001", 42, Decimal("19.99"), True)

    cursor = encode_cursor(values)

    assert decode_cursor(cursor, datetime, uuid.UUID, str, int, Decimal, bool) == values
    assert "=" not in cursor
    assert "ch-001" not in cursor


def test_a_cursor_of_another_shape_is_refused() -> None:
    cursor = encode_cursor(["ch-001"])

    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, int)
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, str, str)
    with pytest.raises(InvalidCursor):
        decode_cursor(encode_cursor([True]), int)


@pytest.mark.parametrize(
    "cursor", ["", "%%%", "e30", "WyJ4Il0", "W1sidCIsIjIwMjYtMDEtMDEiXV0", "W1siZCIsIk5hTiJdXQ"]
)
def test_garbage_is_refused(cursor: str) -> None:
    # "" / not base64 / {} / ["x"] / a naive datetime / NaN
    with pytest.raises(InvalidCursor) as raised:
        decode_cursor(cursor, str)

    assert raised.value.status == 400


def test_naive_datetimes_cannot_be_encoded() -> None:
    with pytest.raises(ValueError, match="timezone"):
        encode_cursor([datetime(2026, 1, 1)])


def test_a_page_carries_a_cursor_only_when_more_rows_exist() -> None:
    rows = ["a", "b", "c"]

    more = page_of(rows, 2, lambda row: [row], str.upper)
    last = page_of(rows, 3, lambda row: [row], str.upper)
    empty = page_of([], 3, lambda row: [row], str.upper)

    assert more.items == ["A", "B"]
    assert more.next_cursor is not None
    assert decode_cursor(more.next_cursor, str) == ("b",)
    assert last.items == ["A", "B", "C"]
    assert last.next_cursor is None
    assert empty.items == []
    assert empty.next_cursor is None


def test_a_cursor_holds_only_values_postgresql_can_compare() -> None:
    assert decode_cursor(encode_cursor([2**63 - 1]), int) == (2**63 - 1,)
    assert decode_cursor(encode_cursor([-(2**63)]), int) == (-(2**63),)
    for value in (2**63, -(2**63) - 1):
        with pytest.raises(InvalidCursor):
            decode_cursor(encode_cursor([value]), int)
