"""Revocation at once: deactivating a user, changing their roles or their password ends what
their existing access tokens may do, though the tokens have not expired."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from oms.auth import repository
from oms.auth.permissions import Role
from oms.auth.user_states import UserState, UserStates
from tests.auth.conftest import AppFactory, client_from
from tests.auth.helpers import (
    ME,
    PASSWORD,
    REFRESH,
    USERS,
    bearer,
    seconds_until_refused,
    tokens,
    user_with_password,
)

NEW_PASSWORD = "another horse battery staple"


@pytest.fixture
async def api(app_with: AppFactory) -> AsyncIterator[tuple[FastAPI, AsyncClient]]:
    """An app that would trust its cache for an hour: only the notification can revoke."""
    async with app_with(user_state_cache_ttl=3600.0) as app, client_from(app, "10.0.0.1") as client:
        await user_with_password(app, "root@example.com", frozenset({Role.ADMIN}))
        yield app, client


async def _admin_headers(client: AsyncClient) -> dict[str, str]:
    return bearer((await tokens(client, "root@example.com"))["access_token"])


async def test_a_deactivated_users_token_is_refused_within_a_second(
    api: tuple[FastAPI, AsyncClient],
) -> None:
    app, client = api
    user = await user_with_password(app, "cora@example.com")
    signed_in = await tokens(client, "cora@example.com")
    headers = bearer(signed_in["access_token"])
    assert (await client.get(ME, headers=headers)).status_code == 200

    change = await client.patch(
        f"{USERS}/{user.id}", headers=await _admin_headers(client), json={"is_active": False}
    )

    assert change.status_code == 200
    assert await seconds_until_refused(client, ME, headers) < 1.0
    refused = await client.get(ME, headers=headers)
    assert refused.json()["type"] == "urn:oms:problem:invalid-token"
    assert refused.headers["www-authenticate"] == "Bearer"
    refreshed = await client.post(REFRESH, json={"refresh_token": signed_in["refresh_token"]})
    assert refreshed.status_code == 401


async def test_a_demoted_admin_cannot_manage_users_and_refreshes_into_the_new_roles(
    api: tuple[FastAPI, AsyncClient],
) -> None:
    app, client = api
    demoted = await user_with_password(app, "ex-admin@example.com", frozenset({Role.ADMIN}))
    signed_in = await tokens(client, "ex-admin@example.com")
    headers = bearer(signed_in["access_token"])
    assert (await client.get(USERS, headers=headers)).status_code == 200

    change = await client.patch(
        f"{USERS}/{demoted.id}", headers=await _admin_headers(client), json={"roles": ["customer"]}
    )

    assert change.status_code == 200
    assert await seconds_until_refused(client, USERS, headers) < 1.0
    creating_an_admin = await client.post(
        USERS,
        headers=headers,
        json={"email": "mole@example.com", "password": PASSWORD, "roles": ["admin"]},
    )
    assert creating_an_admin.status_code == 401
    refreshed = await client.post(REFRESH, json={"refresh_token": signed_in["refresh_token"]})
    assert refreshed.status_code == 200
    as_customer = bearer(refreshed.json()["access_token"])
    assert (await client.get(ME, headers=as_customer)).json()["roles"] == ["customer"]
    assert (await client.get(USERS, headers=as_customer)).status_code == 403


async def test_an_admin_setting_a_password_ends_the_users_tokens(
    api: tuple[FastAPI, AsyncClient],
) -> None:
    app, client = api
    user = await user_with_password(app, "cora@example.com")
    signed_in = await tokens(client, "cora@example.com")
    headers = bearer(signed_in["access_token"])
    assert (await client.get(ME, headers=headers)).status_code == 200

    await client.patch(
        f"{USERS}/{user.id}", headers=await _admin_headers(client), json={"password": NEW_PASSWORD}
    )

    assert await seconds_until_refused(client, ME, headers) < 1.0
    refreshed = await client.post(REFRESH, json={"refresh_token": signed_in["refresh_token"]})
    assert refreshed.status_code == 401
    assert (await tokens(client, "cora@example.com", NEW_PASSWORD))["access_token"]


async def test_changing_ones_own_password_ends_the_tokens_of_every_sign_in(
    api: tuple[FastAPI, AsyncClient],
) -> None:
    app, client = api
    await user_with_password(app, "cora@example.com")
    laptop = bearer((await tokens(client, "cora@example.com"))["access_token"])
    phone = bearer((await tokens(client, "cora@example.com"))["access_token"])
    assert (await client.get(ME, headers=phone)).status_code == 200

    change = await client.patch(
        ME, headers=laptop, json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert change.status_code == 200
    assert await seconds_until_refused(client, ME, phone) < 1.0
    assert (await client.get(ME, headers=laptop)).status_code == 401
    fresh = bearer((await tokens(client, "cora@example.com", NEW_PASSWORD))["access_token"])
    assert (await client.get(ME, headers=fresh)).status_code == 200


async def test_a_change_of_name_or_unchanged_roles_keeps_the_tokens(
    api: tuple[FastAPI, AsyncClient],
) -> None:
    app, client = api
    user = await user_with_password(app, "cora@example.com")
    headers = bearer((await tokens(client, "cora@example.com"))["access_token"])

    change = await client.patch(
        f"{USERS}/{user.id}",
        headers=await _admin_headers(client),
        json={"full_name": "Cora", "roles": ["customer"], "is_active": True},
    )
    await client.patch(ME, headers=headers, json={"full_name": "Cora C."})

    assert change.status_code == 200
    assert (await client.get(ME, headers=headers)).status_code == 200


async def test_a_warm_cache_checks_a_token_without_a_query(
    api: tuple[FastAPI, AsyncClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, client = api
    await user_with_password(app, "cora@example.com")
    headers = bearer((await tokens(client, "cora@example.com"))["access_token"])
    reads: list[uuid.UUID] = []
    read_state = repository.user_token_state

    async def counted(session: AsyncSession, user_id: uuid.UUID) -> tuple[int, bool] | None:
        reads.append(user_id)
        return await read_state(session, user_id)

    monkeypatch.setattr(repository, "user_token_state", counted)
    for _ in range(5):
        assert (await client.get(ME, headers=headers)).status_code == 200

    assert len(reads) == 1


# --- the cache itself ------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _deactivate_in_sql(engine: AsyncEngine, user_id: uuid.UUID) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE users SET is_active = false WHERE id = :id"), {"id": user_id}
        )


async def test_without_notifications_the_cache_ages_out_after_its_ttl(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    async with app_with() as app:
        user = await user_with_password(app, "cora@example.com")
        clock = Clock()
        states = UserStates(app.state.sessions, ttl=5.0, clock=clock)
        assert await states.accepts(user.id, user.token_version)

        await _deactivate_in_sql(engine, user.id)
        clock.now = 4.9
        still_cached = await states.accepts(user.id, user.token_version)
        clock.now = 5.0
        aged_out = await states.accepts(user.id, user.token_version)

    assert still_cached
    assert not aged_out


async def test_a_change_made_in_sql_is_noticed_through_the_notification(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    async with app_with() as app:
        user = await user_with_password(app, "cora@example.com")
        states = UserStates(app.state.sessions, ttl=3600.0, listen_url=app.state.engine.url)
        states.start()
        try:
            assert states.subscription is not None
            await states.subscription.listening.wait()
            assert await states.current(user.id) == UserState(0, is_active=True)
            await _deactivate_in_sql(engine, user.id)
            for _ in range(50):
                if not await states.accepts(user.id, 0):
                    break
                await asyncio.sleep(0.02)
            final = await states.current(user.id)
        finally:
            await states.stop()

    assert final == UserState(0, is_active=False)


async def test_an_unknown_user_or_a_stale_version_is_not_accepted(app_with: AppFactory) -> None:
    async with app_with() as app:
        user = await user_with_password(app, "cora@example.com")
        states = UserStates(app.state.sessions, ttl=60.0)

        assert not await states.accepts(uuid.uuid4(), 0)
        assert not await states.accepts(user.id, user.token_version - 1)
        assert await states.accepts(user.id, None)
