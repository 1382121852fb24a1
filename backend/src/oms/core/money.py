"""Money in the API: exact decimals with two places, written in JSON as strings ("19.99").

Clients send amounts as strings (or whole numbers); a JSON number with a fraction is
refused, because it reaches the server as a binary float and may already be inexact.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")
# [0-9], not \d: \d also matches other scripts' digits ("١٢"), which Decimal reads as 12.
_AMOUNT = re.compile(r"[0-9]{1,10}(?:\.[0-9]{1,2})?")


def _amount(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, bool | float):
        raise ValueError(
            'send amounts as strings such as "19.99"; JSON numbers with a fraction are '
            "binary floats and not exact"
        )
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        raise ValueError('an amount is a string such as "19.99"')
    if not _AMOUNT.fullmatch(text):
        raise ValueError(
            "an amount is a non-negative decimal with at most 2 decimal places and at most "
            '10 digits before the point, such as "19.99"'
        )
    return Decimal(text).quantize(CENT)


def _written(value: Decimal) -> str:
    return str(value.quantize(CENT))


_MONEY_SCHEMA = {
    "type": "string",
    "pattern": r"^[0-9]{1,10}(\.[0-9]{1,2})?$",
    "examples": ["19.99"],
}

MoneyInput = Annotated[Decimal, BeforeValidator(_amount), WithJsonSchema(_MONEY_SCHEMA)]
"""An amount a client sends: `"19.99"` or `20`; never `19.99` (a float)."""

Money = Annotated[
    Decimal,
    PlainSerializer(_written, return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "examples": ["19.99"]}),
]
"""An amount OMS answers with: always a string with two decimals."""
