"""The catalogue's ids for the no-leak walk: categories and products belong to nobody."""

import uuid
from decimal import Decimal

from oms.products import service as products
from oms.products.schemas import CategoryCreate, ProductCreate
from tests.leak_registry import LeakWorld, shared
from tests.products.conftest import LIMITS


async def _category_id(world: LeakWorld) -> str:
    async with world.app.state.sessions() as session, session.begin():
        category = await products.create_category(
            session,
            CategoryCreate(code=f"leak-{uuid.uuid4().hex[:8]}", name="Leak walk"),
            limits=LIMITS,
        )
    return str(category.id)


@shared("category_id")
async def any_category(world: LeakWorld) -> str:
    return await _category_id(world)


@shared("product_id")
async def any_product(world: LeakWorld) -> str:
    category_id = await _category_id(world)
    async with world.app.state.sessions() as session, session.begin():
        product = await products.create_product(
            session,
            ProductCreate(
                sku=f"LEAK-{uuid.uuid4().hex[:8]}",
                name="Leak walk product",
                category_id=category_id,
                price=Decimal("1.00"),
                stock=5,
            ),
            limits=LIMITS,
        )
    return str(product.id)
