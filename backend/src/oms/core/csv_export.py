"""CSV exports that a spreadsheet opens safely, built a batch of lines at a time.

A spreadsheet runs a cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return
before one) as a formula. Exported values can come from anyone (a customer's name, the email
of a failed sign-in), so such cells are written with a leading `'`, which keeps them text.
"""

import csv
import io
import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """`value` as the text of one cell: empty for None, JSON for a mapping, the items
    space-separated for a list, ISO 8601 for a moment; quoted when it would be a formula."""
    if value is None:
        return ""
    if isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, list):
        text = " ".join(str(item) for item in value)
    elif isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, uuid.UUID):
        text = str(value)
    else:
        text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_lines(rows: Iterable[Sequence[str]]) -> str:
    """The CSV text of `rows` (cells already made with `csv_cell`), one line each."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()
