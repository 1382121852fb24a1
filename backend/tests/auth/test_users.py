"""Admin user management (`/users`) and one's own profile (`/me`)."""

import asyncio

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text

from oms.auth.permissions import Role
from tests.actors import Actor
from tests.auth.helpers import (
    ME,
    PASSWORD,
    REFRESH,
    USERS,
    bearer,
    login,
    tokens,
    user_with_password,
)
from tests.pagination import all_pages, assert_paging_is_checked


async def test_admin_creates_staff_who_can_sign_in(admin: Actor, client: AsyncClient) -> None:
    response = await client.post(
        USERS,
        headers=admin.headers,
        json={
            "email": "Mia@Example.com",
            "password": PASSWORD,
            "full_name": "Mia",
            "roles": ["manager"],
        },
    )

    assert response.status_code == 201
    assert response.json()["roles"] == ["manager"]
    assert response.json()["email"] == "mia@example.com"
    assert (await login(client, "mia@example.com")).status_code == 200


async def test_creating_a_user_with_a_taken_email_or_no_roles_fails(
    app: FastAPI, admin: Actor, client: AsyncClient
) -> None:
    await user_with_password(app, "taken@example.com")
    taken = await client.post(
        USERS,
        headers=admin.headers,
        json={"email": "TAKEN@example.com", "password": PASSWORD, "roles": ["manager"]},
    )
    no_roles = await client.post(
        USERS,
        headers=admin.headers,
        json={"email": "x@example.com", "password": PASSWORD, "roles": []},
    )
    bad_role = await client.post(
        USERS,
        headers=admin.headers,
        json={"email": "x@example.com", "password": PASSWORD, "roles": ["root"]},
    )

    assert taken.status_code == 409
    assert no_roles.status_code == 400
    assert bad_role.status_code == 400


async def test_list_filters_and_searches(
    admin: Actor, manager: Actor, customer: Actor, other_customer: Actor, client: AsyncClient
) -> None:
    everyone = await client.get(USERS, headers=admin.headers)
    customers = await client.get(USERS, headers=admin.headers, params={"role": "customer"})
    search = await client.get(USERS, headers=admin.headers, params={"q": "OTHER@"})
    wildcard = await client.get(USERS, headers=admin.headers, params={"q": "%"})

    assert [user["email"] for user in everyone.json()["items"]] == [
        "admin@example.test",
        "manager@example.test",
        "customer@example.test",
        "other@example.test",
    ], "oldest first"
    assert everyone.json()["next_cursor"] is None
    assert {user["email"] for user in customers.json()["items"]} == {
        "customer@example.test",
        "other@example.test",
    }
    assert [user["email"] for user in search.json()["items"]] == ["other@example.test"]
    assert wildcard.json()["items"] == [], "% must be searched for literally"


async def test_the_list_pages_by_cursor_oldest_first(
    app: FastAPI, admin: Actor, client: AsyncClient
) -> None:
    for number in range(4):
        await user_with_password(app, f"user{number}@example.test")

    pages = await all_pages(client, USERS, admin.headers, limit=2)
    customers = await all_pages(client, USERS, admin.headers, limit=3, params={"role": "customer"})

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [user["email"] for page in pages for user in page] == [
        "admin@example.test",
        *(f"user{number}@example.test" for number in range(4)),
    ]
    assert [len(page) for page in customers] == [3, 1], "the filter holds on every page"
    assert all(user["roles"] == ["customer"] for page in customers for user in page)


async def test_the_list_refuses_foreign_cursors_and_limits_out_of_bounds(
    admin: Actor, client: AsyncClient
) -> None:
    await assert_paging_is_checked(client, USERS, admin.headers)


async def test_list_filters_by_active_flag(
    admin: Actor, customer: Actor, client: AsyncClient
) -> None:
    await client.patch(
        f"{USERS}/{customer.user.id}", headers=admin.headers, json={"is_active": False}
    )

    inactive = await client.get(USERS, headers=admin.headers, params={"active": "false"})
    active = await client.get(USERS, headers=admin.headers, params={"active": "true"})

    assert [user["email"] for user in inactive.json()["items"]] == ["customer@example.test"]
    assert [user["email"] for user in active.json()["items"]] == ["admin@example.test"]


async def test_admin_changes_roles(admin: Actor, customer: Actor, client: AsyncClient) -> None:
    response = await client.patch(
        f"{USERS}/{customer.user.id}",
        headers=admin.headers,
        json={"roles": ["manager", "customer"], "full_name": "Promoted"},
    )

    assert response.status_code == 200
    assert response.json()["roles"] == ["customer", "manager"]
    assert response.json()["full_name"] == "Promoted"
    fetched = await client.get(f"{USERS}/{customer.user.id}", headers=admin.headers)
    assert fetched.json()["roles"] == ["customer", "manager"]


async def test_deactivation_stops_refresh_and_login_at_once(
    app: FastAPI, admin: Actor, client: AsyncClient
) -> None:
    user = await user_with_password(app, "leaving@example.com")
    pair = await tokens(client, "leaving@example.com")

    response = await client.patch(
        f"{USERS}/{user.id}", headers=admin.headers, json={"is_active": False}
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert (
        await client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
    ).status_code == 401
    assert (await login(client, "leaving@example.com")).status_code == 401


async def test_admin_setting_a_password_ends_the_users_sign_ins(
    app: FastAPI, admin: Actor, client: AsyncClient
) -> None:
    user = await user_with_password(app, "forgetful@example.com")
    pair = await tokens(client, "forgetful@example.com")

    await client.patch(
        f"{USERS}/{user.id}", headers=admin.headers, json={"password": "a brand new password"}
    )

    assert (
        await client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
    ).status_code == 401
    assert (await login(client, "forgetful@example.com", "a brand new password")).status_code == 200


@pytest.mark.parametrize(
    "change", [{"is_active": False}, {"roles": ["manager"]}, {"roles": ["customer"]}]
)
async def test_the_last_active_admin_cannot_be_removed(
    admin: Actor, client: AsyncClient, change: dict[str, object]
) -> None:
    response = await client.patch(f"{USERS}/{admin.user.id}", headers=admin.headers, json=change)

    assert response.status_code == 409
    assert response.json()["type"] == "urn:oms:problem:last-active-admin"
    me = await client.get(f"{USERS}/{admin.user.id}", headers=admin.headers)
    assert me.json()["is_active"] is True
    assert me.json()["roles"] == ["admin"]


async def test_an_admin_may_step_down_while_another_active_admin_remains(
    app: FastAPI, admin: Actor, client: AsyncClient
) -> None:
    second = await user_with_password(app, "second@example.com", frozenset({Role.ADMIN}))

    stepped_down = await client.patch(
        f"{USERS}/{admin.user.id}", headers=admin.headers, json={"roles": ["manager"]}
    )
    # Now `second` is the last one: deactivating themselves must fail.
    second_token = (await tokens(client, "second@example.com"))["access_token"]
    last = await client.patch(
        f"{USERS}/{second.id}", headers=bearer(second_token), json={"is_active": False}
    )

    assert stepped_down.status_code == 200
    assert last.status_code == 409


async def test_an_inactive_admin_does_not_count_as_the_remaining_admin(
    app: FastAPI, admin: Actor, client: AsyncClient
) -> None:
    dormant = await user_with_password(app, "dormant@example.com", frozenset({Role.ADMIN}))
    await client.patch(f"{USERS}/{dormant.id}", headers=admin.headers, json={"is_active": False})

    response = await client.patch(
        f"{USERS}/{admin.user.id}", headers=admin.headers, json={"is_active": False}
    )

    assert response.status_code == 409


async def test_unknown_user_is_404(admin: Actor, client: AsyncClient) -> None:
    missing = "00000000-0000-0000-0000-000000000000"

    assert (await client.get(f"{USERS}/{missing}", headers=admin.headers)).status_code == 404
    patched = await client.patch(f"{USERS}/{missing}", headers=admin.headers, json={})
    assert patched.status_code == 404


@pytest.mark.parametrize("who", ["manager", "customer"])
async def test_only_admins_manage_users(
    who: str, manager: Actor, customer: Actor, admin: Actor, client: AsyncClient
) -> None:
    actor = {"manager": manager, "customer": customer}[who]
    target = f"{USERS}/{admin.user.id}"

    answers = [
        await client.get(USERS, headers=actor.headers),
        await client.post(
            USERS,
            headers=actor.headers,
            json={"email": "x@example.com", "password": PASSWORD, "roles": ["admin"]},
        ),
        await client.get(target, headers=actor.headers),
        await client.patch(target, headers=actor.headers, json={"is_active": False}),
    ]

    assert [response.status_code for response in answers] == [403] * 4
    assert (await client.get(USERS)).status_code == 401


async def test_me_shows_and_updates_ones_own_profile(customer: Actor, client: AsyncClient) -> None:
    shown = await client.get(ME, headers=customer.headers)
    updated = await client.patch(ME, headers=customer.headers, json={"full_name": "Cleo"})

    assert shown.status_code == 200
    assert shown.json()["id"] == str(customer.user.id)
    assert updated.status_code == 200
    assert updated.json()["full_name"] == "Cleo"
    assert updated.json()["roles"] == ["customer"]


@pytest.mark.parametrize(
    "change", [{"roles": ["admin"]}, {"is_active": False}, {"email": "new@example.com"}]
)
async def test_me_cannot_change_roles_active_flag_or_email(
    customer: Actor, client: AsyncClient, change: dict[str, object]
) -> None:
    response = await client.patch(ME, headers=customer.headers, json=change)

    assert response.status_code == 400
    assert (await client.get(ME, headers=customer.headers)).json()["roles"] == ["customer"]


async def test_me_changes_the_password_given_the_current_one(
    app: FastAPI, client: AsyncClient
) -> None:
    await user_with_password(app, "ada@example.com")
    pair = await tokens(client, "ada@example.com")
    headers = bearer(pair["access_token"])

    wrong = await client.patch(
        ME, headers=headers, json={"current_password": "nope", "new_password": "another long one"}
    )
    missing = await client.patch(ME, headers=headers, json={"new_password": "another long one"})
    right = await client.patch(
        ME,
        headers=headers,
        json={"current_password": PASSWORD, "new_password": "another long one"},
    )

    assert wrong.status_code == missing.status_code == 400
    assert right.status_code == 200
    assert (await login(client, "ada@example.com")).status_code == 401
    assert (await login(client, "ada@example.com", "another long one")).status_code == 200
    # Other sign-ins end with a password change.
    assert (
        await client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
    ).status_code == 401


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(
    app: FastAPI, admin: Actor, client: AsyncClient
) -> None:
    second = await user_with_password(app, "second@example.com", frozenset({Role.ADMIN}))
    second_headers = bearer((await tokens(client, "second@example.com"))["access_token"])

    answers = await asyncio.gather(
        client.patch(f"{USERS}/{second.id}", headers=admin.headers, json={"roles": ["manager"]}),
        client.patch(
            f"{USERS}/{admin.user.id}", headers=second_headers, json={"roles": ["manager"]}
        ),
    )

    assert sorted(answer.status_code for answer in answers) == [200, 409]
    async with app.state.sessions() as session:
        admins = await session.scalar(
            text("SELECT count(*) FROM users WHERE is_active AND 'admin' = ANY(roles)")
        )
    assert admins == 1


async def test_a_retried_user_creation_creates_one_user(client: AsyncClient, admin: Actor) -> None:
    body = {
        "email": "packer@example.com",
        "password": "a-long-enough-password",
        "full_name": "Pat Packer",
        "roles": ["manager"],
    }
    headers = {**admin.headers, "Idempotency-Key": "hire-pat"}

    first = await client.post("/api/v1/users", json=body, headers=headers)
    retry = await client.post("/api/v1/users", json=body, headers=headers)
    found = await client.get("/api/v1/users", params={"q": "packer@"}, headers=admin.headers)

    assert first.status_code == 201
    assert first.headers["location"].endswith(f"/api/v1/users/{first.json()['id']}")
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json()["id"] == first.json()["id"]
    assert len(found.json()["items"]) == 1


async def test_own_profile_lists_what_the_roles_allow(
    admin: Actor, manager: Actor, customer: Actor, client: AsyncClient
) -> None:
    admins, managers, customers = [
        (await client.get(ME, headers=actor.headers)).json()["permissions"]
        for actor in (admin, manager, customer)
    ]

    assert "users:manage" in admins
    assert "config:write" in admins
    assert "orders:read-all" in managers
    assert "config:write" not in managers
    assert "users:manage" not in managers
    assert "orders:read-all" not in customers
    assert all(shown == sorted(shown) for shown in (admins, managers, customers))
    changed = await client.patch(ME, headers=manager.headers, json={"full_name": "Max"})
    assert changed.json()["permissions"] == managers
