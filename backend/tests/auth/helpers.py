"""Users with passwords and sign-ins through the real endpoints, for the auth tests."""

import asyncio
import time
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response

from oms.auth import service as auth
from oms.auth.models import User
from oms.auth.permissions import Role

PASSWORD = "correct horse battery staple"
TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
REGISTER = "/api/v1/auth/register"
ME = "/api/v1/me"
USERS = "/api/v1/users"


async def user_with_password(
    app: FastAPI,
    email: str,
    roles: frozenset[Role] = frozenset({Role.CUSTOMER}),
    *,
    password: str = PASSWORD,
    full_name: str = "",
) -> User:
    async with app.state.sessions() as session, session.begin():
        return await auth.create_user(
            session, email=email, password=password, full_name=full_name, roles=roles
        )


async def login(
    client: AsyncClient, email: str, password: str = PASSWORD, **headers: str
) -> Response:
    return await client.post(TOKEN, json={"email": email, "password": password}, headers=headers)


async def tokens(client: AsyncClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await login(client, email, password)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def seconds_until_refused(
    client: AsyncClient, path: str, headers: dict[str, str], *, limit: float = 1.0
) -> float:
    """How long `GET path` kept being answered before it became 401 (fails past `limit`)."""
    started = time.monotonic()
    while True:
        response = await client.get(path, headers=headers)
        elapsed = time.monotonic() - started
        if response.status_code == 401:
            assert response.headers["content-type"] == "application/problem+json"
            return elapsed
        assert elapsed < limit, f"{path} still answers {response.status_code} after {limit}s"
        await asyncio.sleep(0.02)
