"""The bearer-token dependency and the permission table, through a probe route."""

from collections.abc import AsyncIterator
from typing import Annotated

import pytest
from fastapi import APIRouter
from httpx import AsyncClient

from oms.app import create_app
from oms.auth.dependencies import CurrentUser, Requires
from oms.auth.permissions import ROLE_PERMISSIONS, Permission, Role
from oms.auth.principal import Principal
from oms.core.settings import Settings
from tests.actors import Actor, sign_in_as
from tests.conftest_helpers import serving


def _probe() -> APIRouter:
    router = APIRouter(prefix="/probe")

    @router.get("/me")
    async def me(user: CurrentUser) -> dict[str, object]:
        return {"id": str(user.user_id), "roles": sorted(user.roles)}

    @router.get("/users-admin")
    async def users_admin(
        user: Annotated[Principal, Requires(Permission.USERS_MANAGE)],
    ) -> dict[str, str]:
        return {"ok": str(user.user_id)}

    return router


@pytest.fixture
async def probe(
    settings: Settings, clean_database: None
) -> AsyncIterator[tuple[AsyncClient, Actor, Actor]]:
    app = create_app(settings)
    app.include_router(_probe())
    async with serving(app) as client:
        admin = await sign_in_as(app, "root@example.test", frozenset({Role.ADMIN}))
        shopper = await sign_in_as(app, "shopper@example.test", frozenset({Role.CUSTOMER}))
        yield client, admin, shopper


async def test_no_token_is_401_with_a_bearer_challenge(
    probe: tuple[AsyncClient, Actor, Actor],
) -> None:
    client, _, _ = probe
    response = await client.get("/probe/me")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_valid_token_yields_the_user_and_roles(
    probe: tuple[AsyncClient, Actor, Actor],
) -> None:
    client, _, shopper = probe
    response = await client.get("/probe/me", headers=shopper.headers)

    assert response.status_code == 200
    assert response.json() == {"id": str(shopper.user.id), "roles": ["customer"]}


async def test_a_valid_token_without_the_permission_is_403(
    probe: tuple[AsyncClient, Actor, Actor],
) -> None:
    client, admin, shopper = probe

    assert (await client.get("/probe/users-admin", headers=shopper.headers)).status_code == 403
    assert (await client.get("/probe/users-admin", headers=admin.headers)).status_code == 200


async def test_a_garbage_token_is_401(probe: tuple[AsyncClient, Actor, Actor]) -> None:
    client, _, _ = probe
    response = await client.get("/probe/me", headers={"Authorization": "Bearer not.a.jwt"})

    assert response.status_code == 401


def test_admin_has_every_permission_and_customer_no_staff_ones() -> None:
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(Permission)
    customer = ROLE_PERMISSIONS[Role.CUSTOMER]
    assert Permission.ORDERS_READ_ALL not in customer
    assert Permission.CATALOGUE_WRITE not in customer
    assert Permission.USERS_MANAGE not in ROLE_PERMISSIONS[Role.MANAGER]
