"""Pure parts of orders: pricing, line merging, order numbers, address validation."""

import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import Numeric

from oms.core.errors import ProblemError
from oms.core.etags import etag, if_match_passes, if_none_match_passes
from oms.orders.models import Order, OrderItem
from oms.orders.pricing import (
    MAX_AMOUNT,
    MAX_QUANTITY,
    CatalogueProduct,
    RequestedLine,
    order_total,
    price_lines,
)
from oms.orders.schemas import OrderCreate, ShippingAddress, format_number, parse_number

A, B = uuid.uuid4(), uuid.uuid4()
ADDRESS = {
    "name": "Ada",
    "line1": "1 Main St",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


CHAIR = CatalogueProduct(A, "A-1", "Chair", Decimal("19.99"))
DESK = CatalogueProduct(B, "B-1", "Desk", Decimal("0.10"))


def test_lines_for_the_same_product_are_merged_in_first_mention_order() -> None:
    # The third line names the chair by SKU: it is the same product as the first.
    lines = [RequestedLine(1, A), RequestedLine(1, B), RequestedLine(3, sku="a-1")]
    priced = price_lines(lines, [CHAIR, DESK, CHAIR])
    assert [(line.product_id, line.quantity) for line in priced] == [(A, 4), (B, 1)]
    assert priced[0].line_total == Decimal("79.96")


def _refusal(error: pytest.ExceptionInfo[ProblemError]) -> tuple[int, str, list[str]]:
    problem = error.value
    return problem.status, problem.slug, [field["field"] for field in problem.extra["errors"]]


def test_the_summed_quantity_of_a_product_is_bounded_like_one_line() -> None:
    lines = [RequestedLine(1, B), *[RequestedLine(MAX_QUANTITY // 2 + 1, A)] * 2]
    with pytest.raises(ProblemError) as refused:
        price_lines(lines, [DESK, CHAIR, CHAIR])
    assert _refusal(refused) == (400, "item-too-large", ["items.1.quantity"])
    assert price_lines([RequestedLine(MAX_QUANTITY, A)], [CHAIR])[0].quantity == MAX_QUANTITY


def test_line_and_order_totals_fit_their_columns() -> None:
    dear = CatalogueProduct(A, "A-1", "Yacht", Decimal("9999999999.99"))
    with pytest.raises(ProblemError) as refused:
        price_lines([RequestedLine(MAX_QUANTITY, A)], [dear])
    assert _refusal(refused) == (400, "item-too-large", ["items.0.quantity"])

    [at_limit] = price_lines([RequestedLine(100, A)], [dear])  # 999,999,999,999.00
    with pytest.raises(ProblemError) as refused:
        order_total([at_limit, *price_lines([RequestedLine(10, B)], [DESK])])  # + 1.00
    assert _refusal(refused) == (400, "order-too-large", ["items"])
    assert order_total([at_limit]) <= MAX_AMOUNT


def test_the_amount_bound_is_what_the_columns_hold() -> None:
    for column in (Order.__table__.c.total, OrderItem.__table__.c.line_total):
        assert isinstance(column.type, Numeric)
        digits, scale = column.type.precision, column.type.scale
        assert digits is not None
        assert scale is not None
        assert Decimal(10) ** (digits - scale) - Decimal(10) ** -scale == MAX_AMOUNT


def test_lines_are_priced_from_the_catalogue_exactly() -> None:
    lines = [RequestedLine(3, A), RequestedLine(1, B)]
    products = [
        CatalogueProduct(A, "A-1", "Chair", Decimal("19.99")),
        CatalogueProduct(B, "B-1", "Desk", Decimal("0.10")),
    ]
    priced = price_lines(lines, products)
    assert [line.line_total for line in priced] == [Decimal("59.97"), Decimal("0.10")]
    assert order_total(priced) == Decimal("60.07")
    assert order_total([]) == Decimal(0)


def test_pricing_needs_one_product_per_line() -> None:
    with pytest.raises(ValueError, match="one catalogue product per line"):
        price_lines([RequestedLine(1, A)], [])


def test_order_numbers_are_formatted_and_parsed() -> None:
    assert format_number(123) == "OMS-000123"
    assert format_number(1234567) == "OMS-1234567"
    assert parse_number("OMS-000123") == 123
    assert parse_number("oms-42") == 42
    assert parse_number(" 7 ") == 7
    assert parse_number("ada@example.test") is None
    assert parse_number("OMS-") is None
    assert parse_number("²") is None


def test_a_valid_address_is_normalised() -> None:
    address = ShippingAddress.model_validate(
        {**ADDRESS, "country": "de", "phone": "+49 30 1234567"}
    )
    assert address.country == "DE"
    assert address.line2 is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "DEU"}, "country"),
        ({"country": "UK"}, "country"),
        ({"name": "  "}, "name"),
        ({"postal_code": ""}, "postal_code"),
        ({"phone": "call me"}, "phone"),
        ({"planet": "Mars"}, "planet"),
    ],
)
def test_an_invalid_address_names_the_field(change: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ShippingAddress.model_validate({**ADDRESS, **change})
    assert {error["loc"][0] for error in caught.value.errors()} == {field}


def test_an_item_names_exactly_one_product() -> None:
    for item in ({"quantity": 1}, {"product_id": str(A), "sku": "A-1", "quantity": 1}):
        with pytest.raises(ValidationError):
            OrderCreate.model_validate({"items": [item], "shipping_address": ADDRESS})


def test_a_client_cannot_send_prices_or_zero_quantities() -> None:
    for item in (
        {"sku": "A-1", "quantity": 1, "unit_price": "0.01"},
        {"sku": "A-1", "quantity": 0},
    ):
        with pytest.raises(ValidationError):
            OrderCreate.model_validate({"items": [item], "shipping_address": ADDRESS})
    with pytest.raises(ValidationError):
        OrderCreate.model_validate(
            {"items": [{"sku": "A-1", "quantity": 1}], "shipping_address": ADDRESS, "total": "1"}
        )


def test_etags_and_conditional_headers() -> None:
    assert etag(3) == '"3"'
    assert if_match_passes(None, 3)
    assert if_match_passes('"3"', 3)
    assert if_match_passes('"2", "3"', 3)
    assert if_match_passes("*", 3)
    assert not if_match_passes('"2"', 3)
    assert not if_match_passes('W/"3"', 3)  # If-Match compares strongly
    assert if_none_match_passes(None, 3)
    assert not if_none_match_passes('W/"3"', 3)
    assert not if_none_match_passes("*", 3)
    assert if_none_match_passes('"2"', 3)
