"""Order pricing as pure functions: the lines a customer asked for, priced from the
catalogue's snapshots. The client never sets a price or a total.

Lines naming the same product (twice by SKU, or once by id and once by SKU) become one item
whose quantity is their sum; that sum is bounded like a single line's, and every line total
and the order total must fit the NUMERIC(14, 2) columns that store them.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from oms.orders.errors import ItemTooLarge, OrderTooLarge

MAX_QUANTITY = 100_000
"""Units of one product in one order."""
AMOUNT_PRECISION, AMOUNT_SCALE = 14, 2
"""Digits of the line total and order total columns, and how many follow the point."""
MAX_AMOUNT = Decimal(10) ** (AMOUNT_PRECISION - AMOUNT_SCALE) - Decimal(10) ** -AMOUNT_SCALE


@dataclass(frozen=True, slots=True)
class RequestedLine:
    quantity: int
    product_id: uuid.UUID | None = None
    sku: str | None = None


@dataclass(frozen=True, slots=True)
class CatalogueProduct:
    """What pricing needs from a catalogue snapshot."""

    id: uuid.UUID
    sku: str
    name: str
    price: Decimal


@dataclass(frozen=True, slots=True)
class PricedLine:
    product_id: uuid.UUID
    sku: str
    name: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal


def price_lines(
    lines: Sequence[RequestedLine], products: Sequence[CatalogueProduct]
) -> list[PricedLine]:
    """One item per product at its current price, in order of first mention; `products`
    match `lines` by index.

    Raises `ItemTooLarge` (naming the product's first line) when the summed quantity passes
    `MAX_QUANTITY` or its total passes `MAX_AMOUNT`.
    """
    if len(lines) != len(products):
        raise ValueError("one catalogue product per line is required")
    quantities: dict[uuid.UUID, int] = {}
    first_line: dict[uuid.UUID, int] = {}
    catalogue: dict[uuid.UUID, CatalogueProduct] = {}
    for index, (line, product) in enumerate(zip(lines, products, strict=True)):
        quantities[product.id] = quantities.get(product.id, 0) + line.quantity
        first_line.setdefault(product.id, index)
        catalogue.setdefault(product.id, product)
    priced: list[PricedLine] = []
    for product_id, quantity in quantities.items():
        product, first = catalogue[product_id], first_line[product_id]
        if quantity > MAX_QUANTITY:
            raise ItemTooLarge(first, f"at most {MAX_QUANTITY} units of one product per order")
        line_total = product.price * quantity
        if line_total > MAX_AMOUNT:
            raise ItemTooLarge(first, f"the line total may be at most {MAX_AMOUNT}")
        priced.append(
            PricedLine(product.id, product.sku, product.name, product.price, quantity, line_total)
        )
    return priced


def order_total(lines: Sequence[PricedLine]) -> Decimal:
    """The sum of the line totals; raises `OrderTooLarge` past `MAX_AMOUNT`."""
    total = sum((line.line_total for line in lines), Decimal(0))
    if total > MAX_AMOUNT:
        raise OrderTooLarge(MAX_AMOUNT)
    return total


@dataclass(frozen=True, slots=True)
class PricedOrder:
    lines: list[PricedLine]
    total: Decimal


def price_order(
    lines: Sequence[RequestedLine], products: Sequence[CatalogueProduct]
) -> PricedOrder:
    """The items and total of an order, or of a quote for one: both are priced here."""
    priced = price_lines(lines, products)
    return PricedOrder(priced, order_total(priced))
