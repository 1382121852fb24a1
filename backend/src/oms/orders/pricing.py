"""Order pricing as pure functions: the lines a customer asked for, priced from the
catalogue's snapshots. The client never sets a price or a total."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


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


def merge_lines(lines: Sequence[RequestedLine]) -> list[RequestedLine]:
    """One line per product reference, quantities summed, in order of first mention."""
    merged: dict[tuple[str, str], RequestedLine] = {}
    for line in lines:
        key = ("id", str(line.product_id)) if line.product_id else ("sku", line.sku or "")
        previous = merged.get(key)
        quantity = line.quantity + (previous.quantity if previous else 0)
        merged[key] = RequestedLine(quantity, line.product_id, line.sku)
    return list(merged.values())


def price_lines(
    lines: Sequence[RequestedLine], products: Sequence[CatalogueProduct]
) -> list[PricedLine]:
    """Price each line at its product's current price; `products` match `lines` by index."""
    if len(lines) != len(products):
        raise ValueError("one catalogue product per line is required")
    return [
        PricedLine(
            product_id=product.id,
            sku=product.sku,
            name=product.name,
            unit_price=product.price,
            quantity=line.quantity,
            line_total=product.price * line.quantity,
        )
        for line, product in zip(lines, products, strict=True)
    ]


def order_total(lines: Sequence[PricedLine]) -> Decimal:
    return sum((line.line_total for line in lines), Decimal(0))
