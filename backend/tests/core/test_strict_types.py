"""Request bodies take JSON as its types say: `"1"` and `true` are not quantities, `0` is not a
boolean, and an amount is written in ASCII digits. Checked over every route's body, so a new
field is covered without anyone remembering to add it."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter, ValidationError

from oms.core.money import MoneyInput
from tests.core.test_openapi_contract import unconnected_app

# pydantic-core's names of the scalar types that lax mode fills from other JSON types.
COERCIBLE = frozenset({"int", "bool", "float"})


def _lax_scalars(schema: Any, path: str) -> Iterator[str]:
    if isinstance(schema, dict):
        if schema.get("type") in COERCIBLE and not schema.get("strict"):
            yield f"{path} ({schema['type']})"
        for key, value in schema.items():
            if key == "fields" and isinstance(value, dict):
                for name, field in value.items():
                    yield from _lax_scalars(field, f"{path}.{name}")
            else:
                yield from _lax_scalars(value, path)
    elif isinstance(schema, list):
        for item in schema:
            yield from _lax_scalars(item, path)


def lax_body_fields() -> list[str]:
    found: set[str] = set()
    for route in iter_route_contexts(unconnected_app().routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        for parameter in route.dependant.body_params:
            schema = TypeAdapter(parameter.field_info.annotation).core_schema
            found.update(_lax_scalars(schema, f"{route.original_route.name}:{parameter.name}"))
    return sorted(found)


def test_no_request_body_coerces_numbers_or_booleans_from_other_json_types() -> None:
    assert lax_body_fields() == []


# Arabic-Indic and full-width digits, blanks, and forms Decimal reads but JSON Schema's
# pattern does not.
NOT_AMOUNTS = ["\u0661\u0662", "\uff11\uff12", "12 ", " 1", "1_000", "+1", "1.", ".5"]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_an_amount_is_ascii_digits_with_an_optional_fraction(text: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(MoneyInput).validate_python(text)


def test_amounts_in_strings_whole_numbers_and_decimals_are_taken() -> None:
    adapter = TypeAdapter(MoneyInput)
    assert adapter.validate_python("19.9") == Decimal("19.90")
    assert adapter.validate_python(20) == Decimal("20.00")
    assert adapter.validate_python(Decimal("0.5")) == Decimal("0.50")
