"""Brute-force protection: failures per account and per address lock sign-in for a while,
with the same 401 as any failure, and the state lives in PostgreSQL (shared by replicas)."""

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth.permissions import Role
from tests.auth.conftest import AppFactory, client_from
from tests.auth.helpers import PASSWORD, login, user_with_password

WRONG = "definitely not the password"


def _comparable(body: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in body.items() if key != "instance"}


async def test_an_account_locks_after_repeated_failures_even_for_the_right_password(
    app_with: AppFactory,
) -> None:
    async with app_with(login_max_failures=3, login_max_failures_per_address=100) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            failures = [await login(client, "ada@example.com", WRONG) for _ in range(3)]
            locked = await login(client, "ada@example.com", PASSWORD)
        # The lock is per account: another address cannot get in either.
        async with client_from(app, "10.0.0.2") as elsewhere:
            locked_elsewhere = await login(elsewhere, "ada@example.com", PASSWORD)

    assert [response.status_code for response in failures] == [401, 401, 401]
    assert locked.status_code == 401
    assert locked_elsewhere.status_code == 401
    assert _comparable(locked.json()) == _comparable(failures[0].json())
    assert locked.headers.get("www-authenticate") == failures[0].headers.get("www-authenticate")


async def test_unknown_accounts_lock_alike_so_locks_reveal_no_accounts(
    app_with: AppFactory,
) -> None:
    async with app_with(login_max_failures=2, login_max_failures_per_address=100) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            for email in ("ada@example.com", "nobody@example.com"):
                for _ in range(2):
                    await login(client, email, WRONG)
            real = await login(client, "ada@example.com", WRONG)
            ghost = await login(client, "nobody@example.com", WRONG)

    assert real.status_code == ghost.status_code == 401
    assert _comparable(real.json()) == _comparable(ghost.json())


async def test_a_success_before_the_limit_resets_the_account_count(app_with: AppFactory) -> None:
    async with app_with(login_max_failures=3, login_max_failures_per_address=100) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            for _ in range(2):
                await login(client, "ada@example.com", WRONG)
            assert (await login(client, "ada@example.com")).status_code == 200
            for _ in range(2):
                await login(client, "ada@example.com", WRONG)
            still_open = await login(client, "ada@example.com")

    assert still_open.status_code == 200


async def test_one_address_failing_across_many_accounts_is_locked_out(
    app_with: AppFactory,
) -> None:
    async with app_with(login_max_failures=100, login_max_failures_per_address=4) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.6.6.6") as attacker:
            for number in range(4):
                await login(attacker, f"guess{number}@example.com", WRONG)
            attacker_with_right_password = await login(attacker, "ada@example.com")
        async with client_from(app, "10.0.0.1") as owner:
            owner_login = await login(owner, "ada@example.com")

    assert attacker_with_right_password.status_code == 401
    assert owner_login.status_code == 200


async def test_the_lock_ends_after_the_lockout_period(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    async with app_with(login_max_failures=2, login_max_failures_per_address=100) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            for _ in range(2):
                await login(client, "ada@example.com", WRONG)
            assert (await login(client, "ada@example.com")).status_code == 401
            async with engine.begin() as connection:
                # As if `login_lockout` seconds had passed.
                await connection.execute(
                    text("UPDATE login_failures SET locked_until = now() - interval '1 second'")
                )
            after = await login(client, "ada@example.com")

    assert after.status_code == 200


async def test_failures_counted_by_one_replica_lock_the_account_on_another(
    app_with: AppFactory,
) -> None:
    overrides = {"login_max_failures": 4, "login_max_failures_per_address": 100}
    async with app_with(**overrides) as first, app_with(**overrides) as second:
        await user_with_password(first, "ada@example.com", frozenset({Role.CUSTOMER}))
        async with client_from(first, "10.0.0.1") as a, client_from(second, "10.0.0.1") as b:
            for client in (a, b, a, b):
                assert (await login(client, "ada@example.com", WRONG)).status_code == 401
            on_first = await login(a, "ada@example.com")
            on_second = await login(b, "ada@example.com")

    assert on_first.status_code == on_second.status_code == 401


async def test_failures_outside_the_window_start_a_new_count(
    app_with: AppFactory, engine: AsyncEngine
) -> None:
    async with app_with(login_max_failures=3, login_max_failures_per_address=100) as app:
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
    async with app_with(login_max_failures=3, login_max_failures_per_address=100) as app:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO login_failures (key, failures, window_started_at, locked_until)"
                    " VALUES ('account:old@example.com', 2, now() - interval '1 day', NULL),"
                    " ('account:locked@example.com', 9, now() - interval '1 day',"
                    "  now() + interval '1 hour')"
                )
            )
        async with client_from(app, "10.0.0.1") as client:
            await login(client, "new@example.com", WRONG)

    async with engine.connect() as connection:
        keys = (await connection.execute(text("SELECT key FROM login_failures"))).scalars()
        assert sorted(keys) == [
            "account:locked@example.com",
            "account:new@example.com",
            "address:10.0.0.1",
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
                text("SELECT failures FROM login_failures WHERE key = 'account:ada@example.com'")
            )
        ).scalar()
    assert counted == 6
