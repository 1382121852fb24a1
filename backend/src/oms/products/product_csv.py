"""Product rows from a CSV file, as `POST /products/import` takes it: pure parsing, no database.

The file is UTF-8 (a byte-order mark is allowed) with a header row naming its columns, in
any order and case: `sku` (required), `name`, `description`, `price`, `stock`, `category`,
`active` and `attributes` (a JSON object). A column left out, or a cell left empty, is a
field not given: a new product takes the field's default, an existing one keeps its value.

A file that cannot be read as a whole (not UTF-8, a NUL character, broken quoting, no header
or an unknown column) raises `InvalidCsv` naming the file line; a cell that cannot be read
is an error of its row only. Rows are numbered by the file line they start on: a client
that sends a big file in chunks, each with the header, says with `first_row` where the
chunk's first row is in the file.
"""

import csv
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from oms.products.errors import InvalidCsv, TooManyImportRows

COLUMNS = ("sku", "name", "description", "price", "stock", "category", "active", "attributes")
ROW = "row"
"""The `field` of an error about the row as a whole."""

_BOM = "\ufeff"
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: the file line it starts on, its SKU, the cells given (parsed: `stock`
    an int, `active` a bool, `attributes` a dict; the others text) and what could not be
    read (`[{field, message}]`)."""

    line: int
    sku: str | None
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)


class _UndecodableLine(Exception):
    def __init__(self, index: int, reason: str) -> None:
        self.index, self.reason = index, reason


def _lines(body: bytes) -> Iterator[str]:
    """The body's physical lines, each decoded on its own (no UTF-8 sequence holds a line
    break byte), so that an undecodable byte is found on its line."""
    for index, raw in enumerate(body.splitlines(keepends=True)):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _UndecodableLine(index, f"not UTF-8 (byte {error.start + 1})") from error
        if index == 0:
            line = line.removeprefix(_BOM)
        if "\x00" in line:
            raise _UndecodableLine(index, "contains a NUL character")
        yield line


def _header(record: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in record]
    for position, name in enumerate(names, start=1):
        if not name:
            raise InvalidCsv(1, f"column {position} of the header has no name")
        if name not in COLUMNS:
            raise InvalidCsv(1, f"unknown column {name!r}; the columns are {', '.join(COLUMNS)}")
        if names.count(name) > 1:
            raise InvalidCsv(1, f"the column {name!r} appears twice")
    if "sku" not in names:
        raise InvalidCsv(1, "no `sku` column; the header row names the columns")
    return names


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large a number")
    return number


def _storable_problem(document: Any, max_depth: int) -> str | None:
    """Why `document` cannot be stored as JSONB (too deep, a NUL, a lone surrogate)."""
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict | list) and depth > max_depth:
            return f"nests deeper than {max_depth} levels"
        texts = [node] if isinstance(node, str) else []
        if isinstance(node, dict):
            texts += list(node)
            pending += [(value, depth + 1) for value in node.values()]
        elif isinstance(node, list):
            pending += [(value, depth + 1) for value in node]
        for text in texts:
            if "\x00" in text:
                return "contains a NUL character (\\u0000)"
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return "contains a lone surrogate (not valid Unicode)"
    return None


def _attributes(cell: str, max_depth: int) -> dict[str, Any]:
    try:
        parsed = json.loads(cell, parse_constant=_refuse_constant, parse_float=_finite)
    except RecursionError as error:
        raise ValueError(f"nests deeper than {max_depth} levels") from error
    except ValueError as error:
        raise ValueError(f"is not valid JSON ({error})") from error
    if not isinstance(parsed, dict):
        raise ValueError('must be a JSON object, such as {"color": "red"}')
    problem = _storable_problem(parsed, max_depth)
    if problem is not None:
        raise ValueError(problem)
    return parsed


def _cell_value(column: str, cell: str, max_json_depth: int) -> Any:
    """The cell's value for `column`; raises ValueError saying what is wrong with it."""
    if column in ("sku", "price", "category"):
        return cell.strip()
    if column == "stock":
        text = cell.strip()
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValueError("must be a whole number of units (empty: not tracked)")
        return int(text)
    if column == "active":
        text = cell.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("must be true or false")
    if column == "attributes":
        return _attributes(cell, max_json_depth)
    return cell


def _row(line: int, columns: list[str], record: list[str], max_json_depth: int) -> CsvRow:
    cells = dict(zip(columns, record, strict=False))
    sku = cells.get("sku", "").strip() or None
    if len(record) != len(columns):
        message = f"has {len(record)} cells; the header names {len(columns)} columns"
        return CsvRow(line, sku, errors=[{"field": ROW, "message": message}])
    values: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    for column, cell in cells.items():
        if not cell.strip():
            continue
        try:
            values[column] = _cell_value(column, cell, max_json_depth)
        except ValueError as error:
            errors.append({"field": column, "message": str(error)})
    if sku is None:
        errors.insert(0, {"field": "sku", "message": "is required"})
    return CsvRow(line, sku, values, errors)


def parse_product_csv(
    body: bytes, *, first_row: int, max_rows: int, max_json_depth: int
) -> list[CsvRow]:
    """The data rows of the CSV `body`, blank ones skipped; `first_row` is the file line of
    the body's first data row (the header is line 1 of the file and of the body).

    Raises `InvalidCsv` (400) for a file that cannot be read as a whole, and
    `TooManyImportRows` (413) past `max_rows` rows, before anything is imported."""
    reader = csv.reader(_lines(body), strict=True)
    data_start: int | None = None  # the body line after the header

    def file_line(body_line: int) -> int:
        if data_start is None:
            return body_line
        return first_row + body_line - data_start

    rows: list[CsvRow] = []
    columns: list[str] = []
    consumed = 0
    try:
        for record in reader:
            starts = consumed + 1
            consumed = reader.line_num
            if data_start is None:
                columns = _header(record)
                data_start = consumed + 1
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) == max_rows:
                raise TooManyImportRows(max_rows)
            rows.append(_row(file_line(starts), columns, record, max_json_depth))
    except _UndecodableLine as error:
        raise InvalidCsv(file_line(error.index + 1), error.reason) from error
    except csv.Error as error:
        raise InvalidCsv(file_line(reader.line_num), str(error)) from error
    if data_start is None:
        raise InvalidCsv(1, "the file is empty; its first line names the columns")
    return rows
