"""RFC 8725 for OMS's own tokens: every forged, broken or misdirected token is 401."""

import time
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from oms.auth.tokens import REQUIRED_CLAIMS
from tests.actors import Actor
from tests.auth.forge import attacks, sign, stranger_key
from tests.auth.helpers import ME


async def _valid_claims(app: FastAPI, actor: Actor) -> dict[str, Any]:
    now = int(time.time())
    settings = app.state.settings
    return {
        "iss": settings.public_url,
        "aud": settings.jwt_audience,
        "sub": str(actor.user.id),
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
        "email": actor.user.email,
        "roles": ["customer"],
        "token_version": actor.user.token_version,
    }


ATTACK_NAMES = [
    *sorted(attacks(stranger_key(), "k", {"sub": "s"}, REQUIRED_CLAIMS)),
    "sub-not-a-user-id",
]


@pytest.fixture
async def forged(app: FastAPI, customer: Actor) -> tuple[str, dict[str, str]]:
    ring = await app.state.keys.ring()
    claims = await _valid_claims(app, customer)
    tokens = attacks(ring.signing_key, ring.signing_kid, claims, REQUIRED_CLAIMS)
    tokens["sub-not-a-user-id"] = sign(
        ring.signing_key, ring.signing_kid, {**claims, "sub": "not-a-uuid"}
    )
    return sign(ring.signing_key, ring.signing_kid, claims), tokens


async def test_the_baseline_token_is_accepted(
    client: AsyncClient, forged: tuple[str, dict[str, str]], customer: Actor
) -> None:
    valid, _ = forged

    response = await client.get(ME, headers={"Authorization": f"Bearer {valid}"})

    assert response.status_code == 200
    assert response.json()["id"] == str(customer.user.id)


@pytest.mark.parametrize("attack", ATTACK_NAMES)
async def test_a_forged_or_broken_token_is_401(
    client: AsyncClient, forged: tuple[str, dict[str, str]], attack: str
) -> None:
    _, tokens = forged

    response = await client.get(ME, headers={"Authorization": f"Bearer {tokens[attack]}"})

    assert response.status_code == 401, attack
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["type"] == "urn:oms:problem:invalid-token"


@pytest.mark.parametrize("scheme", ["Basic", "bearer-ish", ""])
async def test_other_authorization_schemes_are_401(
    client: AsyncClient, forged: tuple[str, dict[str, str]], scheme: str
) -> None:
    valid, _ = forged

    response = await client.get(ME, headers={"Authorization": f"{scheme} {valid}".strip()})

    assert response.status_code == 401
