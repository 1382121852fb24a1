"""Signed-in users for API tests: a user row and a real token from OMS's own issuer."""

from dataclasses import dataclass

from fastapi import FastAPI

from oms.auth import service as auth
from oms.auth.models import User
from oms.auth.permissions import Role


@dataclass(frozen=True)
class Actor:
    user: User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def sign_in_as(
    app: FastAPI, email: str, roles: frozenset[Role], *, full_name: str = ""
) -> Actor:
    async with app.state.sessions() as session, session.begin():
        user = await auth.create_user(
            session, email=email, password=None, full_name=full_name, roles=roles
        )
    ring = await app.state.keys.ring()
    return Actor(user=user, token=auth.access_token_for(user, ring, app.state.settings))
