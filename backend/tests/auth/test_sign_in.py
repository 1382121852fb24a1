"""The built-in provider: sign-in (JSON and OAuth2 form), refresh rotation, logout, JWKS."""

import asyncio
import time
import uuid

import jwt
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth.permissions import Role
from tests.auth.helpers import (
    LOGOUT,
    ME,
    PASSWORD,
    REFRESH,
    TOKEN,
    bearer,
    login,
    tokens,
    user_with_password,
)


async def test_json_login_returns_a_bearer_token_pair(app: FastAPI, client: AsyncClient) -> None:
    user = await user_with_password(app, "ada@example.com", frozenset({Role.MANAGER}))

    response = await login(client, "ada@example.com")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == app.state.settings.access_token_ttl
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == str(user.id)
    assert claims["iss"] == app.state.settings.public_url
    assert claims["aud"] == "oms-api"
    assert claims["roles"] == ["manager"]
    assert claims["exp"] - claims["iat"] == app.state.settings.access_token_ttl
    assert {"jti", "iat", "exp"} <= set(claims)
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "RS256"

    me = await client.get(ME, headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.com"


async def test_the_oauth2_password_form_works_as_the_docs_authorize_button_sends_it(
    app: FastAPI, client: AsyncClient
) -> None:
    await user_with_password(app, "ada@example.com")

    response = await client.post(
        TOKEN,
        data={"grant_type": "password", "username": "ADA@example.com", "password": PASSWORD},
    )

    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"


async def test_the_token_endpoint_documents_json_and_form_bodies(client: AsyncClient) -> None:
    document = (await client.get("/api/openapi.json")).json()

    content = document["paths"]["/api/v1/auth/token"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "application/x-www-form-urlencoded"}
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("flows", {}).get("password") for s in schemes.values())


async def test_other_grant_types_and_malformed_bodies_are_400(
    app: FastAPI, client: AsyncClient
) -> None:
    form = await client.post(
        TOKEN, data={"grant_type": "client_credentials", "username": "a", "password": "b"}
    )
    missing = await client.post(TOKEN, json={"email": "ada@example.com"})
    garbage = await client.post(
        TOKEN, content=b"{not json", headers={"content-type": "application/json"}
    )

    for response in (form, missing, garbage):
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"


async def test_every_login_failure_is_the_same_401(app: FastAPI, client: AsyncClient) -> None:
    await user_with_password(app, "ada@example.com")
    inactive = await user_with_password(app, "gone@example.com")
    async with app.state.sessions() as session, session.begin():
        await session.execute(
            text("UPDATE users SET is_active = false WHERE id = :id"), {"id": inactive.id}
        )

    wrong_password = await login(client, "ada@example.com", "not the password at all")
    no_such_user = await login(client, "nobody@example.com")
    deactivated = await login(client, "gone@example.com")

    bodies = []
    for response in (wrong_password, no_such_user, deactivated):
        assert response.status_code == 401
        body = response.json()
        body.pop("instance")
        bodies.append(body)
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0]["type"] == "urn:oms:problem:invalid-credentials"


async def test_refresh_rotates_and_the_old_token_is_spent(
    app: FastAPI, client: AsyncClient
) -> None:
    await user_with_password(app, "ada@example.com")
    first = await tokens(client, "ada@example.com")

    second = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})

    assert second.status_code == 200
    pair = second.json()
    assert pair["refresh_token"] != first["refresh_token"]
    assert (await client.get(ME, headers=bearer(pair["access_token"]))).status_code == 200
    third = await client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
    assert third.status_code == 200


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine
) -> None:
    await user_with_password(app, "ada@example.com")
    stolen = (await tokens(client, "ada@example.com"))["refresh_token"]
    rotated = (await client.post(REFRESH, json={"refresh_token": stolen})).json()["refresh_token"]
    other_sign_in = (await tokens(client, "ada@example.com"))["refresh_token"]

    replay = await client.post(REFRESH, json={"refresh_token": stolen})

    assert replay.status_code == 401
    assert replay.json()["type"] == "urn:oms:problem:invalid-refresh-token"
    # The legitimate holder's newer token died with the family ...
    assert (await client.post(REFRESH, json={"refresh_token": rotated})).status_code == 401
    # ... while another, separate sign-in of the same user is untouched.
    assert (await client.post(REFRESH, json={"refresh_token": other_sign_in})).status_code == 200
    async with engine.connect() as connection:
        reasons = (
            await connection.execute(
                text(
                    "SELECT revoked_reason FROM refresh_token_families WHERE revoked_at IS NOT NULL"
                )
            )
        ).scalars()
        assert list(reasons) == ["reuse"]


async def test_two_concurrent_refreshes_with_one_token_yield_one_success(
    app: FastAPI, client: AsyncClient
) -> None:
    await user_with_password(app, "ada@example.com")
    token = (await tokens(client, "ada@example.com"))["refresh_token"]

    results = await asyncio.gather(
        client.post(REFRESH, json={"refresh_token": token}),
        client.post(REFRESH, json={"refresh_token": token}),
    )

    assert sorted(response.status_code for response in results) == [200, 401]
    winner = next(response for response in results if response.status_code == 200)
    # The loser's use counted as reuse: the winner's new token is revoked too.
    again = await client.post(REFRESH, json={"refresh_token": winner.json()["refresh_token"]})
    assert again.status_code == 401


async def test_logout_revokes_the_refresh_token(app: FastAPI, client: AsyncClient) -> None:
    await user_with_password(app, "ada@example.com")
    token = (await tokens(client, "ada@example.com"))["refresh_token"]

    response = await client.post(LOGOUT, json={"refresh_token": token})

    assert response.status_code == 204
    assert (await client.post(REFRESH, json={"refresh_token": token})).status_code == 401
    # Logging out twice, or with an unknown token, says nothing either way.
    assert (await client.post(LOGOUT, json={"refresh_token": token})).status_code == 204
    assert (await client.post(LOGOUT, json={"refresh_token": "made-up"})).status_code == 204


async def test_unknown_and_expired_refresh_tokens_are_401(
    app: FastAPI, client: AsyncClient
) -> None:
    await user_with_password(app, "ada@example.com")
    token = (await tokens(client, "ada@example.com"))["refresh_token"]
    async with app.state.sessions() as session, session.begin():
        await session.execute(text("UPDATE refresh_tokens SET expires_at = now() - interval '1s'"))

    expired = await client.post(REFRESH, json={"refresh_token": token})
    unknown = await client.post(REFRESH, json={"refresh_token": "x" * 43})

    assert expired.status_code == 401
    assert unknown.status_code == 401


async def test_refresh_tokens_are_stored_only_as_hashes(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine
) -> None:
    await user_with_password(app, "ada@example.com")
    token = (await tokens(client, "ada@example.com"))["refresh_token"]

    async with engine.connect() as connection:
        stored = (await connection.execute(text("SELECT token_hash FROM refresh_tokens"))).scalar()
    assert stored is not None
    assert token not in stored
    assert len(stored) == 64


async def test_jwks_serves_the_key_that_verifies_issued_tokens(
    app: FastAPI, client: AsyncClient
) -> None:
    await user_with_password(app, "ada@example.com")
    access = (await tokens(client, "ada@example.com"))["access_token"]

    response = await client.get("/.well-known/jwks.json")

    assert response.status_code == 200
    keys = jwt.PyJWKSet.from_dict(response.json())
    kid = jwt.get_unverified_header(access)["kid"]
    key = next(key for key in keys.keys if key.key_id == kid)
    claims = jwt.decode(access, key.key, algorithms=["RS256"], audience="oms-api")
    assert uuid.UUID(claims["sub"])
    assert claims["exp"] > time.time()
    assert all("d" not in jwk for jwk in response.json()["keys"]), "private part published"


async def test_expired_sign_ins_are_purged_at_the_next_sign_in(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine
) -> None:
    await user_with_password(app, "ada@example.com")
    await tokens(client, "ada@example.com")
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE refresh_token_families SET expires_at = now() - interval '1s'")
        )

    await tokens(client, "ada@example.com")

    async with engine.connect() as connection:
        families = (
            await connection.execute(
                text("SELECT count(*) FROM refresh_token_families WHERE expires_at < now()")
            )
        ).scalar()
        tokens_left = (
            await connection.execute(text("SELECT count(*) FROM refresh_tokens"))
        ).scalar()
    assert families == 0
    assert tokens_left == 1


async def test_a_rotation_extends_the_sign_in(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine
) -> None:
    await user_with_password(app, "ada@example.com")
    first = await tokens(client, "ada@example.com")
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE refresh_token_families SET expires_at = now() + interval '1 minute'")
        )

    await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})

    async with engine.connect() as connection:
        left = (
            await connection.execute(text("SELECT expires_at - now() FROM refresh_token_families"))
        ).scalar()
    assert left is not None
    assert left.total_seconds() > app.state.settings.refresh_token_ttl - 60


async def test_refresh_checks_the_user_is_still_active(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine
) -> None:
    user = await user_with_password(app, "ada@example.com")
    token = (await tokens(client, "ada@example.com"))["refresh_token"]
    async with engine.begin() as connection:
        # Deactivated behind the API's back: no family was revoked.
        await connection.execute(
            text("UPDATE users SET is_active = false WHERE id = :id"), {"id": user.id}
        )

    response = await client.post(REFRESH, json={"refresh_token": token})

    assert response.status_code == 401
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE users SET is_active = true"))
    assert (await client.post(REFRESH, json={"refresh_token": token})).status_code == 401, (
        "the sign-in stays ended after reactivation"
    )
