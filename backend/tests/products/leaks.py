"""The catalogue's ids for the no-leak walk: categories and products belong to nobody."""

import hashlib
import uuid
from decimal import Decimal

from oms.products import repository
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


@shared("image_id", prefix="/api/v1/products")
async def any_image_id(world: LeakWorld) -> str:
    return str(uuid.uuid4())


@shared("digest", prefix="/api/v1/product-images")
async def a_product_image(world: LeakWorld) -> str:
    data = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
    digest = hashlib.sha256(data).hexdigest()
    async with world.app.state.sessions() as session, session.begin():
        await repository.add_image_file(session, digest, "image/png", data)
    return digest
