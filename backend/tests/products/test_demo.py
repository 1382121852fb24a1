"""The demo catalogue: created once, valid against its own schemas, never duplicated."""

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.core.db import create_sessionmaker
from oms.products import demo as products_demo
from oms.products.models import Category, Product
from oms.seed import DEMO_SEEDERS
from tests.actors import Actor


async def _counts(engine: AsyncEngine) -> tuple[int, int]:
    async with create_sessionmaker(engine)() as session:
        categories = await session.scalar(select(func.count()).select_from(Category))
        items = await session.scalar(select(func.count()).select_from(Product))
    return int(categories or 0), int(items or 0)


async def test_the_demo_catalogue_is_seeded_once(
    engine: AsyncEngine, client: AsyncClient, customer: Actor
) -> None:
    sessions = create_sessionmaker(engine)
    for _ in range(2):
        async with sessions() as session, session.begin():
            await products_demo.seed_demo_catalogue(session)

    assert products_demo.seed_demo_catalogue in DEMO_SEEDERS
    assert await _counts(engine) == (2, 10)
    listing = await client.get(
        "/api/v1/products", params={"category": "furniture", "limit": 100}, headers=customer.headers
    )
    stocks = [item["stock"] for item in listing.json()["items"]]
    assert len(stocks) == 5
    assert None in stocks
    assert any(isinstance(stock, int) for stock in stocks)
    wooden = await client.get(
        "/api/v1/products", params={"attr.material": "oak"}, headers=customer.headers
    )
    assert [item["sku"] for item in wooden.json()["items"]] == ["FUR-CHAIR-OAK"]


async def test_seeding_keeps_what_staff_changed(
    engine: AsyncEngine, client: AsyncClient, admin: Actor
) -> None:
    sessions = create_sessionmaker(engine)
    async with sessions() as session, session.begin():
        await products_demo.seed_demo_catalogue(session)
    lamp = (
        await client.get("/api/v1/products", params={"q": "ELE-LAMP"}, headers=admin.headers)
    ).json()["items"][0]
    await client.patch(
        f"/api/v1/products/{lamp['id']}", json={"price": "42.00"}, headers=admin.headers
    )

    async with sessions() as session, session.begin():
        await products_demo.seed_demo_catalogue(session)

    again = await client.get(f"/api/v1/products/{lamp['id']}", headers=admin.headers)
    assert again.json()["price"] == "42.00"


async def test_some_demo_products_have_a_picture(
    engine: AsyncEngine, client: AsyncClient, customer: Actor
) -> None:
    async with create_sessionmaker(engine)() as session, session.begin():
        await products_demo.seed_demo_catalogue(session)

    listing = await client.get("/api/v1/products", params={"limit": 100}, headers=customer.headers)
    pictured = {item["sku"]: item["images"] for item in listing.json()["items"] if item["images"]}
    assert set(pictured) == set(products_demo.DEMO_IMAGE_COLOURS)
    [image] = pictured["FUR-CHAIR-OAK"]
    assert (image["width"], image["height"]) == products_demo.DEMO_IMAGE_SIZE
    served = await client.get(image["url"])
    assert served.status_code == 200
    assert served.content.startswith(b"\x89PNG")
