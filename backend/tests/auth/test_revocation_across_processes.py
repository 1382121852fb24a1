"""Two real API processes on one database: a change made through one revokes the user's
tokens on the other within a second, though the other has them cached."""

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth import service as auth
from oms.auth.permissions import Role
from oms.core.db import create_sessionmaker
from tests.auth.helpers import ME, PASSWORD, REFRESH, USERS, bearer, seconds_until_refused, tokens
from tests.processes import start_api

# Trusted for an hour: only the notification can make the cache let go in time.
CACHE_FOR_AN_HOUR = {"OMS_USER_STATE_CACHE_TTL": "3600"}


@pytest.fixture
def two_apis(database_url: str, clean_database: None) -> Iterator[tuple[str, str]]:
    first_url, first = start_api(database_url, **CACHE_FOR_AN_HOUR)
    try:
        second_url, second = start_api(database_url, **CACHE_FOR_AN_HOUR)
        try:
            yield first_url, second_url
        finally:
            second.terminate()
            second.wait(30)
    finally:
        first.terminate()
        first.wait(30)


@pytest.fixture
async def clients(two_apis: tuple[str, str]) -> AsyncIterator[tuple[httpx.AsyncClient, ...]]:
    first_url, second_url = two_apis
    async with (
        httpx.AsyncClient(base_url=first_url, timeout=10) as first,
        httpx.AsyncClient(base_url=second_url, timeout=10) as second,
    ):
        yield first, second


async def _users(engine: AsyncEngine, *people: tuple[str, Role]) -> dict[str, str]:
    ids = {}
    async with create_sessionmaker(engine)() as session, session.begin():
        for email, role in people:
            user = await auth.create_user(
                session, email=email, password=PASSWORD, roles=frozenset({role})
            )
            ids[email] = str(user.id)
    return ids


@pytest.mark.timeout(120)
async def test_a_change_through_one_api_process_revokes_tokens_on_another(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient], engine: AsyncEngine
) -> None:
    first, second = clients
    ids = await _users(
        engine,
        ("root@example.com", Role.ADMIN),
        ("cora@example.com", Role.CUSTOMER),
        ("ex-admin@example.com", Role.ADMIN),
    )
    root = bearer((await tokens(first, "root@example.com"))["access_token"])
    cora = bearer((await tokens(first, "cora@example.com"))["access_token"])
    ex_admin_tokens = await tokens(first, "ex-admin@example.com")
    ex_admin = bearer(ex_admin_tokens["access_token"])
    # The second process has both users' states cached now.
    assert (await second.get(ME, headers=cora)).status_code == 200
    assert (await second.get(USERS, headers=ex_admin)).status_code == 200

    deactivated, demoted = await asyncio.gather(
        first.patch(f"{USERS}/{ids['cora@example.com']}", headers=root, json={"is_active": False}),
        first.patch(
            f"{USERS}/{ids['ex-admin@example.com']}", headers=root, json={"roles": ["customer"]}
        ),
    )

    assert deactivated.status_code == demoted.status_code == 200
    assert await seconds_until_refused(second, ME, cora) < 1.0
    assert await seconds_until_refused(second, USERS, ex_admin) < 1.0
    refreshed = await second.post(REFRESH, json={"refresh_token": ex_admin_tokens["refresh_token"]})
    as_customer = bearer(refreshed.json()["access_token"])
    assert (await second.get(USERS, headers=as_customer)).status_code == 403
    assert (await first.get(ME, headers=root)).status_code == 200
