"""`reserve_stock` / `release_stock` against PostgreSQL, including under concurrency."""

import asyncio
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from oms.core.db import create_sessionmaker
from oms.products import service as products
from oms.products.models import Category, Product


@dataclass(frozen=True)
class Shelf:
    sessions: async_sessionmaker[AsyncSession]
    chair: uuid.UUID  # stock 10, price 19.99
    table: uuid.UUID  # stock 3
    sofa: uuid.UUID  # not tracked
    old: uuid.UUID  # archived, stock 5

    async def stock(self, product_id: uuid.UUID) -> int | None:
        async with self.sessions() as session:
            return await session.scalar(select(Product.stock).where(Product.id == product_id))


@pytest.fixture
async def shelf(engine: AsyncEngine, clean_database: None) -> Shelf:
    sessions = create_sessionmaker(engine)
    async with sessions() as session, session.begin():
        category = Category(code="furniture", name="Furniture", attribute_schema={})
        session.add(category)
        await session.flush()
        rows = {
            name: Product(
                sku=sku, name=name, category_id=category.id, price=Decimal(price), stock=stock,
                active=active, attributes={},
            )
            for name, sku, price, stock, active in [
                ("chair", "CH-1", "19.99", 10, True),
                ("table", "TB-1", "450.00", 3, True),
                ("sofa", "SF-1", "899.00", None, True),
                ("old", "OLD-1", "5.00", 5, False),
            ]
        }  # fmt: skip
        session.add_all(rows.values())
        await session.flush()
        ids = {name: row.id for name, row in rows.items()}
    return Shelf(sessions=sessions, **ids)


async def _reserve(shelf: Shelf, lines: list[products.StockLine]) -> list[products.ProductSnapshot]:
    async with shelf.sessions() as session, session.begin():
        return await products.reserve_stock(session, lines)


async def test_reserving_takes_tracked_stock_and_snapshots_each_line_in_order(
    shelf: Shelf,
) -> None:
    snapshots = await _reserve(
        shelf,
        [
            products.StockLine(quantity=2, sku="tb-1"),
            products.StockLine(quantity=3, product_id=shelf.chair),
            products.StockLine(quantity=7, product_id=shelf.sofa),
            products.StockLine(quantity=1, sku="CH-1"),
        ],
    )

    assert [(s.sku, s.stock) for s in snapshots] == [
        ("TB-1", 1),
        ("CH-1", 6),
        ("SF-1", None),
        ("CH-1", 6),
    ]
    assert snapshots[1] == products.ProductSnapshot(
        id=shelf.chair, sku="CH-1", name="chair", price=Decimal("19.99"), stock=6
    )
    assert await shelf.stock(shelf.chair) == 6
    assert await shelf.stock(shelf.table) == 1
    assert await shelf.stock(shelf.sofa) is None


async def test_no_lines_reserve_and_release_nothing(shelf: Shelf) -> None:
    assert await _reserve(shelf, []) == []
    async with shelf.sessions() as session, session.begin():
        await products.release_stock(session, [])

    assert await shelf.stock(shelf.chair) == 10


async def test_insufficient_stock_adds_up_repeated_lines_and_changes_nothing(
    shelf: Shelf,
) -> None:
    with pytest.raises(products.InsufficientStock) as raised:
        await _reserve(
            shelf,
            [
                products.StockLine(quantity=1, product_id=shelf.chair),
                products.StockLine(quantity=2, product_id=shelf.table),
                products.StockLine(quantity=2, sku="TB-1"),
            ],
        )

    error = raised.value
    assert error.status == 409
    assert error.extra["available"] == 3
    assert error.extra["requested"] == 4
    assert error.extra["lines"] == [
        {
            "product_id": str(shelf.table),
            "sku": "TB-1",
            "requested": 4,
            "available": 3,
            "items": [1, 2],
        }
    ]
    assert error.extra["sku"] == "TB-1"
    assert await shelf.stock(shelf.chair) == 10
    assert await shelf.stock(shelf.table) == 3


@pytest.mark.parametrize(
    ("line", "error", "status"),
    [
        (products.StockLine(quantity=1, sku="NOPE"), products.UnknownProduct, 422),
        (products.StockLine(quantity=1, product_id=uuid.uuid4()), products.UnknownProduct, 422),
        (products.StockLine(quantity=0, sku="CH-1"), products.InvalidQuantity, 422),
        (products.StockLine(quantity=-2, sku="CH-1"), products.InvalidQuantity, 422),
        (products.StockLine(quantity=1), products.InvalidStockLine, 422),
        (
            products.StockLine(quantity=1, sku="CH-1", product_id=uuid.uuid4()),
            products.InvalidStockLine,
            422,
        ),
    ],
)
async def test_a_bad_line_is_a_4xx_naming_its_index(
    shelf: Shelf, line: products.StockLine, error: type[products.StockError], status: int
) -> None:
    with pytest.raises(error) as raised:
        await _reserve(shelf, [products.StockLine(quantity=1, sku="CH-1"), line])

    assert raised.value.status == status
    assert raised.value.extra["line"] == 1
    assert await shelf.stock(shelf.chair) == 10


async def test_an_archived_product_cannot_be_reserved(shelf: Shelf) -> None:
    with pytest.raises(products.ProductInactive) as raised:
        await _reserve(shelf, [products.StockLine(quantity=1, product_id=shelf.old)])

    assert raised.value.status == 422
    assert raised.value.extra["sku"] == "OLD-1"
    assert await shelf.stock(shelf.old) == 5


async def test_a_rolled_back_reservation_leaves_stock_as_it_was(shelf: Shelf) -> None:
    class Boom(Exception):
        pass

    async def reserve_then_fail() -> None:
        async with shelf.sessions() as session, session.begin():
            await products.reserve_stock(session, [products.StockLine(2, product_id=shelf.chair)])
            raise Boom

    with pytest.raises(Boom):
        await reserve_then_fail()

    assert await shelf.stock(shelf.chair) == 10


async def test_release_gives_tracked_stock_back(shelf: Shelf) -> None:
    async with shelf.sessions() as session, session.begin():
        await products.release_stock(
            session, [(shelf.chair, 2), (shelf.sofa, 4), (shelf.old, 1), (shelf.chair, 1)]
        )

    assert await shelf.stock(shelf.chair) == 13
    assert await shelf.stock(shelf.sofa) is None
    assert await shelf.stock(shelf.old) == 6


@pytest.mark.parametrize(
    ("quantity", "product", "error"),
    [(0, "chair", products.InvalidQuantity), (1, "missing", products.UnknownProduct)],
)
async def test_release_refuses_bad_lines(
    shelf: Shelf, quantity: int, product: str, error: type[products.StockError]
) -> None:
    product_id = shelf.chair if product == "chair" else uuid.uuid4()

    with pytest.raises(error):
        async with shelf.sessions() as session, session.begin():
            await products.release_stock(session, [(shelf.table, 1), (product_id, quantity)])

    assert await shelf.stock(shelf.table) == 3


async def test_fifty_concurrent_reservations_for_ten_in_stock_sell_exactly_ten(
    shelf: Shelf,
) -> None:
    async def attempt() -> bool:
        try:
            await _reserve(shelf, [products.StockLine(quantity=1, product_id=shelf.chair)])
        except products.InsufficientStock:
            return False
        return True

    outcomes = await asyncio.gather(*(attempt() for _ in range(50)))

    assert outcomes.count(True) == 10
    assert await shelf.stock(shelf.chair) == 0


async def test_opposite_order_reservations_queue_instead_of_deadlocking(
    shelf: Shelf,
) -> None:
    async def attempt(forward: bool) -> None:
        lines = [
            products.StockLine(quantity=1, product_id=shelf.chair),
            products.StockLine(quantity=1, sku="SF-1"),
            products.StockLine(quantity=1, product_id=shelf.table),
        ]
        async with shelf.sessions() as session, session.begin():
            try:
                await products.reserve_stock(session, lines if forward else lines[::-1])
            except products.InsufficientStock:
                return
            # Hold the locks a moment, so transactions overlap for certain.
            await session.execute(text("SELECT pg_sleep(0.01)"))

    await asyncio.gather(*(attempt(forward=index % 2 == 0) for index in range(12)))

    # The table (3 in stock) limits how many of the 12 orders went through.
    assert await shelf.stock(shelf.table) == 0
    assert await shelf.stock(shelf.chair) == 7


async def _someone_waits_for_a_lock(shelf: Shelf) -> bool:
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(500):
        async with shelf.sessions() as session:
            if await session.scalar(query):
                return True
        await asyncio.sleep(0.01)
    return False


async def test_a_reservation_waits_for_a_concurrent_one_and_sees_its_result(
    shelf: Shelf,
) -> None:
    async with shelf.sessions() as first, first.begin():
        await products.reserve_stock(first, [products.StockLine(2, product_id=shelf.table)])
        second = asyncio.create_task(_reserve(shelf, [products.StockLine(quantity=2, sku="TB-1")]))
        assert await _someone_waits_for_a_lock(shelf)
        assert not second.done()

    with pytest.raises(products.InsufficientStock) as raised:
        await asyncio.wait_for(second, timeout=10)
    assert raised.value.extra["available"] == 1
    assert await shelf.stock(shelf.table) == 1
