"""Brute-force back-off: failures count per account and client address together (and per
address), pause sign-in from there for longer with every further failure, never lock the
owner out from elsewhere, and live in PostgreSQL (shared by replicas)."""

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from structlog.testing import capture_logs

from oms.auth.permissions import Role
from tests.auth.conftest import AppFactory, client_from
from tests.auth.helpers import USERS, bearer, login, tokens, user_with_password

WRONG = "definitely not the password"
# Only the failures per account and address count here, unless a test says otherwise; a
# pause lasts longer than any test (tests end one with `_pauses_end`).
PER_ACCOUNT = {
    "login_max_failures": 3,
    "login_max_failures_per_address": 100,
    "login_backoff_initial": 600,
}


def _comparable(body: dict[str, object], *ignored: str) -> dict[str, object]:
    return {key: value for key, value in body.items() if key not in {"instance", *ignored}}


async def _pauses_end(engine: AsyncEngine) -> None:
    """As if every pause had run out."""
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE login_failures SET locked_until = now() - interval '1 second'")
        )


async def test_a_strangers_failures_do_not_lock_the_owner_out(app_with: AppFactory) -> None:
    async with app_with(**PER_ACCOUNT) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.6.6.6") as stranger:
            tries = [await login(stranger, "ada@example.com", WRONG) for _ in range(6)]
            stranger_with_the_password = await login(stranger, "ada@example.com")
        async with client_from(app, "10.0.0.1") as owner:
            owner_login = await login(owner, "ada@example.com")

    assert [response.status_code for response in tries] == [401, 401, 401, 429, 429, 429]
    assert stranger_with_the_password.status_code == 429
    assert owner_login.status_code == 200


async def test_the_owners_own_failures_back_off_doubling_each_time(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    settings = {**PER_ACCOUNT, "login_backoff_initial": 10, "login_backoff_max": 900}
    async with app_with(**settings) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as owner:
            failures = [await login(owner, "ada@example.com", WRONG) for _ in range(3)]
            paused = await login(owner, "ada@example.com")
            waits = [int(paused.headers["retry-after"])]
            for _ in range(2):
                await _pauses_end(engine)
                assert (await login(owner, "ada@example.com", WRONG)).status_code == 401
                waits.append(int((await login(owner, "ada@example.com")).headers["retry-after"]))

    assert [response.status_code for response in failures] == [401, 401, 401]
    assert paused.status_code == 429
    assert paused.headers["content-type"] == "application/problem+json"
    assert paused.json()["type"] == "urn:oms:problem:sign-in-paused"
    assert paused.json()["retry_after"] == waits[0]
    assert [9 <= waits[0] <= 10, 19 <= waits[1] <= 20, 39 <= waits[2] <= 40] == [True] * 3


async def test_the_pause_never_exceeds_the_longest_set(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    settings = {**PER_ACCOUNT, "login_backoff_initial": 10, "login_backoff_max": 15}
    async with app_with(**settings) as app, client_from(app, "10.0.0.1") as client:
        for _ in range(3):
            await login(client, "ada@example.com", WRONG)
        await _pauses_end(engine)
        await login(client, "ada@example.com", WRONG)
        paused = await login(client, "ada@example.com", WRONG)

    assert paused.status_code == 429
    assert 14 <= int(paused.headers["retry-after"]) <= 15


async def test_unknown_accounts_pause_alike_so_pauses_reveal_no_accounts(
    app_with: AppFactory,
) -> None:
    async with app_with(**{**PER_ACCOUNT, "login_max_failures": 2}) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            first = {}
            for email in ("ada@example.com", "nobody@example.com"):
                first[email] = await login(client, email, WRONG)
                await login(client, email, WRONG)
            real = await login(client, "ada@example.com", WRONG)
            ghost = await login(client, "nobody@example.com", WRONG)

    failed_real, failed_ghost = first.values()
    assert failed_real.status_code == failed_ghost.status_code == 401
    assert _comparable(failed_real.json()) == _comparable(failed_ghost.json())
    assert real.status_code == ghost.status_code == 429
    # Alike but for the seconds left, which differ by the moments between the two pauses.
    assert _comparable(real.json(), "detail", "retry_after") == _comparable(
        ghost.json(), "detail", "retry_after"
    )


async def test_a_success_before_the_limit_resets_the_count(app_with: AppFactory) -> None:
    async with app_with(**PER_ACCOUNT) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            for _ in range(2):
                await login(client, "ada@example.com", WRONG)
            assert (await login(client, "ada@example.com")).status_code == 200
            for _ in range(2):
                await login(client, "ada@example.com", WRONG)
            still_open = await login(client, "ada@example.com")

    assert still_open.status_code == 200


async def test_one_address_failing_across_many_accounts_is_paused(
    app_with: AppFactory,
) -> None:
    async with app_with(
        login_max_failures=100, login_max_failures_per_address=4, login_backoff_initial=600
    ) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.6.6.6") as attacker:
            for number in range(4):
                await login(attacker, f"guess{number}@example.com", WRONG)
            attacker_with_right_password = await login(attacker, "ada@example.com")
        async with client_from(app, "10.0.0.1") as owner:
            owner_login = await login(owner, "ada@example.com")

    assert attacker_with_right_password.status_code == 429
    assert owner_login.status_code == 200


async def test_the_pause_ends_after_its_time(app_with: AppFactory, engine: AsyncEngine) -> None:
    async with app_with(**PER_ACCOUNT) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            for _ in range(3):
                await login(client, "ada@example.com", WRONG)
            assert (await login(client, "ada@example.com")).status_code == 429
            await _pauses_end(engine)
            after = await login(client, "ada@example.com")

    assert after.status_code == 200


async def test_failures_counted_by_one_replica_pause_sign_in_on_another(
    app_with: AppFactory,
) -> None:
    overrides = {**PER_ACCOUNT, "login_max_failures": 4}
    async with app_with(**overrides) as first, app_with(**overrides) as second:
        await user_with_password(first, "ada@example.com", frozenset({Role.CUSTOMER}))
        async with client_from(first, "10.0.0.1") as a, client_from(second, "10.0.0.1") as b:
            for client in (a, b, a, b):
                assert (await login(client, "ada@example.com", WRONG)).status_code == 401
            on_first = await login(a, "ada@example.com")
            on_second = await login(b, "ada@example.com")

    assert on_first.status_code == on_second.status_code == 429


async def test_failures_outside_the_window_start_a_new_count(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    async with app_with(**PER_ACCOUNT) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            for _ in range(2):
                await login(client, "ada@example.com", WRONG)
            async with engine.begin() as connection:
                await connection.execute(
                    text("UPDATE login_failures SET window_started_at = now() - interval '1 day'")
                )
            await login(client, "ada@example.com", WRONG)
            after = await login(client, "ada@example.com")

    assert after.status_code == 200


async def test_stale_counters_are_purged_so_made_up_emails_do_not_pile_up(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    async with app_with(**PER_ACCOUNT) as app:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO login_failures (key, failures, window_started_at, locked_until)"
                    " VALUES ('address:10.0.0.9 account:old@example.com', 2,"
                    "  now() - interval '1 day', NULL),"
                    " ('address:10.0.0.9 account:paused@example.com', 9,"
                    "  now() - interval '1 day', now() + interval '1 hour')"
                )
            )
        async with client_from(app, "10.0.0.1") as client:
            await login(client, "new@example.com", WRONG)

    async with engine.connect() as connection:
        keys = (await connection.execute(text("SELECT key FROM login_failures"))).scalars()
        assert sorted(keys) == [
            "address:10.0.0.1",
            "address:10.0.0.1 account:new@example.com",
            "address:10.0.0.9 account:paused@example.com",
        ]


async def test_concurrent_failures_are_all_counted(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    async with app_with(login_max_failures=100, login_max_failures_per_address=100) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            answers = await asyncio.gather(
                *(login(client, "ada@example.com", WRONG) for _ in range(6))
            )

    assert [answer.status_code for answer in answers] == [401] * 6
    async with engine.connect() as connection:
        counted = (
            await connection.execute(
                text(
                    "SELECT failures FROM login_failures"
                    " WHERE key = 'address:10.0.0.1 account:ada@example.com'"
                )
            )
        ).scalar()
    assert counted == 6


# --- an admin lifts the pause ------------------------------------------------------------


async def test_an_admin_unlocks_an_account_from_every_address(app_with: AppFactory) -> None:
    async with app_with(**PER_ACCOUNT) as app:
        ada = await user_with_password(app, "ada@example.com")
        await user_with_password(app, "root@example.com", frozenset({Role.ADMIN}))
        await user_with_password(app, "bob@example.com")
        async with client_from(app, "10.0.0.1") as office, client_from(app, "10.0.0.2") as home:
            for client in (office, home):
                for _ in range(3):
                    await login(client, "ada@example.com", WRONG)
            for _ in range(3):
                await login(office, "bob@example.com", WRONG)
            admin = bearer((await tokens(office, "root@example.com"))["access_token"])
            with capture_logs() as logs:
                unlocked = await office.post(f"{USERS}/{ada.id}/unlock", headers=admin)
            from_office = await login(office, "ada@example.com")
            from_home = await login(home, "ada@example.com")
            bob_still_paused = await login(office, "bob@example.com")

    assert unlocked.status_code == 204
    assert from_office.status_code == from_home.status_code == 200
    assert bob_still_paused.status_code == 429
    [entry] = [entry for entry in logs if entry["event"] == "sign-in unlocked"]
    assert entry["user_id"] == str(ada.id)
    assert entry["email"] == "ada@example.com"
    assert entry["counters_cleared"] == 2
    assert entry["unlocked_by"] != str(ada.id)


@pytest.mark.parametrize(("role", "status"), [(Role.CUSTOMER, 403), (Role.MANAGER, 403)])
async def test_only_an_admin_may_unlock(app_with: AppFactory, role: Role, status: int) -> None:
    async with app_with(**PER_ACCOUNT) as app:
        ada = await user_with_password(app, "ada@example.com")
        await user_with_password(app, "staff@example.com", frozenset({role}))
        async with client_from(app, "10.0.0.1") as client:
            for _ in range(3):
                await login(client, "ada@example.com", WRONG)
            staff = bearer((await tokens(client, "staff@example.com"))["access_token"])
            refused = await client.post(f"{USERS}/{ada.id}/unlock", headers=staff)
            anonymous = await client.post(f"{USERS}/{ada.id}/unlock")
            still_paused = await login(client, "ada@example.com")

    assert refused.status_code == status
    assert anonymous.status_code == 401
    assert still_paused.status_code == 429


async def test_unlocking_an_unknown_user_is_404(app_with: AppFactory) -> None:
    async with app_with(**PER_ACCOUNT) as app:
        await user_with_password(app, "root@example.com", frozenset({Role.ADMIN}))
        async with client_from(app, "10.0.0.1") as client:
            admin = bearer((await tokens(client, "root@example.com"))["access_token"])
            response = await client.post(
                f"{USERS}/0b6f5c1e-6a4f-4d8e-9a51-2f0c3d4e5a6b/unlock", headers=admin
            )

    assert response.status_code == 404
    assert response.json()["type"] == "urn:oms:problem:user-not-found"
