"""Users, passwords and sign-in lock-outs land in the audit log; no password or hash does."""

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth.cli import NewUser, create_user_from_cli
from oms.auth.permissions import Role
from tests.actors import Actor
from tests.audit_trail import TEST_CLIENT_ADDRESS, only, recorded
from tests.auth.conftest import AppFactory, client_from
from tests.auth.helpers import ME, PASSWORD, USERS, bearer, login, tokens, user_with_password

NEW_PASSWORD = "a brand new password, long enough"


async def _whole_log(engine: AsyncEngine) -> str:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT audit_log::text FROM audit_log"))
        return "\n".join(row[0] for row in rows)


async def _hashes(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT password_hash FROM users WHERE password_hash IS NOT NULL")
        )
        return [row[0] for row in rows]


async def test_a_user_created_changed_and_given_a_password_is_recorded_without_it(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    body = {"email": "bo@example.com", "password": PASSWORD, "roles": ["manager"]}
    created = await client.post(USERS, json=body, headers=admin.headers)
    url = f"{USERS}/{created.json()['id']}"
    changed = await client.patch(url, json={"roles": ["admin"]}, headers=admin.headers)
    reset = await client.patch(url, json={"password": NEW_PASSWORD}, headers=admin.headers)

    assert [r.status_code for r in (created, changed, reset)] == [201, 200, 200]
    [entry] = [e for e in await recorded(engine, "user.created") if e["origin"] == "api"]
    assert (entry["actor_id"], entry["address"]) == (admin.user.id, TEST_CLIENT_ADDRESS)
    assert entry["entity_id"] == created.json()["id"]
    assert entry["after"] == {
        "email": "bo@example.com",
        "full_name": "",
        "roles": ["manager"],
        "is_active": True,
    }
    update = await only(engine, "user.updated")
    assert (update["before"], update["after"]) == ({"roles": ["manager"]}, {"roles": ["admin"]})
    password = await only(engine, "user.password_reset")
    assert (password["entity_id"], password["before"], password["after"]) == (
        created.json()["id"],
        None,
        None,
    )
    log = await _whole_log(engine)
    assert PASSWORD not in log
    assert NEW_PASSWORD not in log
    hashes = await _hashes(engine)
    assert hashes
    assert not any(stored in log for stored in hashes)


async def test_refusing_to_remove_the_last_admin_records_nothing(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    refused = await client.patch(
        f"{USERS}/{admin.user.id}", json={"is_active": False}, headers=admin.headers
    )

    assert refused.status_code == 409
    assert await recorded(engine, "user.updated") == []


async def test_ones_own_password_change_is_recorded_and_a_wrong_current_one_is_not(
    app: FastAPI, client: AsyncClient, engine: AsyncEngine
) -> None:
    user = await user_with_password(app, "cy@example.com")
    headers = bearer((await tokens(client, "cy@example.com"))["access_token"])
    wrong = {"current_password": "not it at all", "new_password": NEW_PASSWORD}
    right = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "full_name": "Cy"}

    refused = await client.patch(ME, json=wrong, headers=headers)
    assert await recorded(engine, "user.password_changed") == []
    changed = await client.patch(ME, json=right, headers=headers)

    assert (refused.status_code, changed.status_code) == (400, 200)
    entry = await only(engine, "user.password_changed")
    assert (entry["entity_id"], entry["actor_id"]) == (str(user.id), user.id)
    named = await only(engine, "user.updated")
    assert (named["before"], named["after"]) == ({"full_name": ""}, {"full_name": "Cy"})
    assert NEW_PASSWORD not in await _whole_log(engine)


async def test_a_lock_out_is_recorded_once_with_the_account_and_the_address(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    async with app_with(login_max_failures=2, login_max_failures_per_address=100) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.7") as client:
            first = await login(client, "ada@example.com", "wrong")
            assert await recorded(engine, "sign_in.paused") == []
            responses = [await login(client, "ada@example.com", "wrong") for _ in range(3)]

    assert [response.status_code for response in [first, *responses]] == [401, 401, 429, 429]
    entry = await only(engine, "sign_in.paused")
    assert (entry["entity"], entry["entity_id"]) == ("account", "ada@example.com")
    assert (entry["address"], entry["actor_id"], entry["origin"]) == ("10.0.0.7", None, "api")
    assert entry["after"] == {"failures": 2, "paused_seconds": 2}
    assert "wrong" not in await _whole_log(engine)


async def test_an_address_lock_out_names_the_address(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    settings = {"login_max_failures": 100, "login_max_failures_per_address": 3}
    async with app_with(**settings) as app, client_from(app, "10.6.6.6") as attacker:
        for number in range(3):
            await login(attacker, f"guess{number}@example.com", "wrong")

    entry = await only(engine, "sign_in.paused")
    assert (entry["entity"], entry["entity_id"]) == ("address", "10.6.6.6")


async def test_a_user_created_with_the_oms_command_is_recorded_as_cli(
    database_url: str, engine: AsyncEngine, clean_database: None
) -> None:
    new_user = NewUser.checked(
        email="ops@example.com", roles=["admin"], full_name="Ops", password=PASSWORD
    )
    user_id = await create_user_from_cli(database_url, new_user)

    entry = await only(engine, "user.created")
    assert (entry["origin"], entry["entity_id"], entry["actor_id"]) == ("cli", str(user_id), None)
    assert entry["after"]["roles"] == [Role.ADMIN.value]
