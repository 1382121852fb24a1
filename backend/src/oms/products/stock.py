"""Stock reservation for orders: check and take stock under row locks, and give it back.

Products are locked `SELECT ... FOR UPDATE` in id order, whatever the order of the lines:
two orders for overlapping products queue on the first shared row instead of deadlocking,
and the second sees the stock the first left. The caller's transaction owns the locks
until it commits or rolls back; nothing here commits.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from oms.products import repository
from oms.products.errors import (
    InsufficientStock,
    InvalidQuantity,
    InvalidStockLine,
    ProductInactive,
    ShortLine,
    UnknownProduct,
)
from oms.products.models import Product

MAX_STOCK = 2_147_483_647  # the stock column is an INTEGER


@dataclass(frozen=True)
class ProductSnapshot:
    """A product as an order line records it: what it was sold as, and at what price."""

    id: uuid.UUID
    sku: str
    name: str
    price: Decimal
    stock: int | None  # after the reservation; None when stock is not tracked


@dataclass(frozen=True)
class StockLine:
    """`quantity` of a product named by exactly one of `product_id` and `sku`."""

    quantity: int
    product_id: uuid.UUID | None = None
    sku: str | None = None


def _check_lines(lines: Sequence[StockLine]) -> None:
    for index, line in enumerate(lines):
        if (line.product_id is None) == (line.sku is None):
            raise InvalidStockLine(index)
        if line.quantity < 1:
            raise InvalidQuantity(index, line.quantity)


async def _product_ids(session: AsyncSession, lines: Sequence[StockLine]) -> list[uuid.UUID]:
    by_sku = await repository.product_ids_by_sku(
        session, [line.sku for line in lines if line.sku is not None]
    )
    ids: list[uuid.UUID] = []
    for index, line in enumerate(lines):
        if line.product_id is not None:
            ids.append(line.product_id)
        else:
            assert line.sku is not None
            found = by_sku.get(line.sku.lower())
            if found is None:
                raise UnknownProduct(index, line.sku)
            ids.append(found)
    return ids


def _product_on_sale(
    index: int, line: StockLine, product_id: uuid.UUID, locked: dict[uuid.UUID, Product]
) -> Product:
    product = locked.get(product_id)
    # A SKU is resolved before the lock; if it was renamed meanwhile, it names nothing now.
    if product is None or (line.sku is not None and product.sku.lower() != line.sku.lower()):
        raise UnknownProduct(index, line.sku or str(product_id))
    if not product.active:
        raise ProductInactive(index, product.id, product.sku)
    return product


@dataclass(frozen=True, slots=True)
class _Resolved:
    product_ids: list[uuid.UUID]  # one per line
    products: dict[uuid.UUID, Product]
    requested: dict[uuid.UUID, int]  # summed over the lines naming the product
    lines_of: dict[uuid.UUID, list[int]]


async def _resolve(session: AsyncSession, lines: Sequence[StockLine], *, lock: bool) -> _Resolved:
    """The products `lines` name (row-locked if `lock`); raises for a line naming no
    product on sale."""
    _check_lines(lines)
    product_ids = await _product_ids(session, lines)
    if lock:
        found = await repository.lock_products(session, product_ids)
    else:
        found = await repository.products_by_id(session, product_ids)
    requested: dict[uuid.UUID, int] = {}
    lines_of: dict[uuid.UUID, list[int]] = {}
    for index, (line, product_id) in enumerate(zip(lines, product_ids, strict=True)):
        _product_on_sale(index, line, product_id, found)
        requested[product_id] = requested.get(product_id, 0) + line.quantity
        lines_of.setdefault(product_id, []).append(index)
    return _Resolved(product_ids, found, requested, lines_of)


def _short_lines(resolved: _Resolved) -> list[ShortLine]:
    short = []
    for product_id, quantity in resolved.requested.items():
        product = resolved.products[product_id]
        if product.stock is not None and quantity > product.stock:
            items = resolved.lines_of[product_id]
            short.append(ShortLine(product.id, product.sku, quantity, product.stock, items))
    return short


def _snapshot(product: Product) -> ProductSnapshot:
    return ProductSnapshot(
        id=product.id, sku=product.sku, name=product.name, price=product.price, stock=product.stock
    )


async def reserve_stock(session: AsyncSession, lines: Sequence[StockLine]) -> list[ProductSnapshot]:
    """Take `lines` out of stock, all or nothing; one snapshot per line, in line order.

    Lines naming the same product are added up. Untracked stock (NULL) is never short and
    never changes. Raises `InvalidStockLine`, `InvalidQuantity`, `UnknownProduct`,
    `ProductInactive` (422) or `InsufficientStock` (409, naming every short product in
    `lines`), each naming the line (0-based index into `lines`); on error nothing has
    been changed, though the rows stay locked until the caller's transaction ends.
    """
    if not lines:
        return []
    resolved = await _resolve(session, lines, lock=True)
    short = _short_lines(resolved)
    if short:
        raise InsufficientStock(short)
    for product_id, quantity in resolved.requested.items():
        product = resolved.products[product_id]
        if product.stock is not None:
            product.stock -= quantity
            product.version += 1
    await repository.flush(session)
    return [_snapshot(resolved.products[product_id]) for product_id in resolved.product_ids]


async def stock_for(session: AsyncSession, lines: Sequence[StockLine]) -> list[ProductSnapshot]:
    """What `reserve_stock` would sell, as it stands now, without locking or taking anything:
    one snapshot per line (`stock` as it is now). Raises as `reserve_stock` does, except
    that short stock is no error here."""
    if not lines:
        return []
    resolved = await _resolve(session, lines, lock=False)
    return [_snapshot(resolved.products[product_id]) for product_id in resolved.product_ids]


async def lock_stock(session: AsyncSession, product_ids: Sequence[uuid.UUID]) -> None:
    """Lock these products (in id order, as `reserve_stock` and `release_stock` do) until the
    caller's transaction ends. A caller about to take or give back the stock of several
    orders one after another takes every lock first: taken order by order, they would come
    in no overall order and could deadlock with an order being placed."""
    if product_ids:
        await repository.lock_products(session, product_ids)


async def release_stock(session: AsyncSession, lines: Sequence[tuple[uuid.UUID, int]]) -> None:
    """Give `(product_id, quantity)` back to tracked stock (an order cancelled or returned).

    Archived products get their stock back too; untracked stock stays NULL. Locks in the
    same id order as `reserve_stock`.
    """
    for index, (_, quantity) in enumerate(lines):
        if quantity < 1:
            raise InvalidQuantity(index, quantity)
    if not lines:
        return
    locked = await repository.lock_products(session, [product_id for product_id, _ in lines])
    returned: dict[uuid.UUID, int] = {}
    first_line: dict[uuid.UUID, int] = {}
    for index, (product_id, quantity) in enumerate(lines):
        if product_id not in locked:
            raise UnknownProduct(index, str(product_id))
        returned[product_id] = returned.get(product_id, 0) + quantity
        first_line.setdefault(product_id, index)
    for product_id, quantity in returned.items():
        product = locked[product_id]
        if product.stock is None:
            continue
        if product.stock + quantity > MAX_STOCK:
            problem = f"would take the stock of {product.sku!r} too high"
            raise InvalidQuantity(first_line[product_id], quantity, problem)
        product.stock += quantity
        product.version += 1
    await repository.flush(session)
