"""Request rate limits on password checks: 429 problem+json with `Retry-After`, counted per
client address (sign-in) and per user (a password change), each apart from the other."""

import asyncio

import pytest
from pydantic import ValidationError

from oms.core.settings import Settings
from tests.auth.conftest import AppFactory, client_from
from tests.auth.helpers import ME, PASSWORD, bearer, login, tokens, user_with_password

WRONG = "definitely not the password"
# Failed logins must not pause sign-in here: only the request counts are under test.
NO_BACKOFF = {"login_max_failures": 1000, "login_max_failures_per_address": 1000}


async def test_sign_in_beyond_the_limit_is_429_with_retry_after(app_with: AppFactory) -> None:
    limits = {**NO_BACKOFF, "rate_limit_password_checks_per_address": "3/minute"}
    async with app_with(**limits) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            allowed = [await login(client, "ada@example.com", WRONG) for _ in range(2)]
            allowed.append(await login(client, "ada@example.com"))
            refused = await login(client, "ada@example.com")
        async with client_from(app, "10.0.0.2") as elsewhere:
            other_address = await login(elsewhere, "ada@example.com")

    assert [response.status_code for response in allowed] == [401, 401, 200]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "urn:oms:problem:too-many-requests"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["retry_after"] == int(refused.headers["retry-after"])
    assert other_address.status_code == 200


async def test_the_limit_resets_after_its_window(app_with: AppFactory) -> None:
    limits = {**NO_BACKOFF, "rate_limit_password_checks_per_address": "2 per 3 seconds"}
    async with app_with(**limits) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            for _ in range(2):
                await login(client, "ada@example.com", WRONG)
            refused = await login(client, "ada@example.com")
            retry_after = int(refused.headers["retry-after"])
            await asyncio.sleep(retry_after + 0.1)
            after_the_window = await login(client, "ada@example.com")

    assert refused.status_code == 429
    assert 1 <= retry_after <= 3
    assert after_the_window.status_code == 200


async def test_password_changes_are_limited_per_user(app_with: AppFactory) -> None:
    limits = {
        "rate_limit_password_checks_per_user": "2/minute",
        "rate_limit_password_checks_per_address": "100/minute",
    }
    change = {"current_password": WRONG, "new_password": "another horse battery staple"}
    async with app_with(**limits) as app:
        await user_with_password(app, "ada@example.com")
        await user_with_password(app, "bob@example.com")
        async with client_from(app, "10.0.0.1") as client:
            ada = bearer((await tokens(client, "ada@example.com"))["access_token"])
            bob = bearer((await tokens(client, "bob@example.com"))["access_token"])
            tries = [(await client.patch(ME, headers=ada, json=change)) for _ in range(3)]
            renamed = await client.patch(ME, headers=ada, json={"full_name": "Ada"})
            bob_tries = await client.patch(ME, headers=bob, json=change)

    assert [response.status_code for response in tries] == [400, 400, 429]
    assert "retry-after" in tries[2].headers
    assert renamed.status_code == 200
    assert bob_tries.status_code == 400


async def test_password_changes_count_against_the_address_too(app_with: AppFactory) -> None:
    limits = {
        "rate_limit_password_checks_per_user": "100/minute",
        "rate_limit_password_checks_per_address": "3/minute",
    }
    change = {"current_password": WRONG, "new_password": "another horse battery staple"}
    async with app_with(**limits) as app:
        await user_with_password(app, "ada@example.com")
        async with client_from(app, "10.0.0.1") as client:
            ada = bearer((await tokens(client, "ada@example.com"))["access_token"])
            changes = [(await client.patch(ME, headers=ada, json=change)) for _ in range(2)]
            sign_in = await login(client, "ada@example.com", PASSWORD)

    assert [response.status_code for response in changes] == [400, 400]
    assert sign_in.status_code == 429


@pytest.mark.parametrize("text", ["often", "10/fortnight", "-1/minute"])
def test_a_limit_that_does_not_parse_is_a_setting_error(text: str) -> None:
    with pytest.raises(ValidationError, match="rate_limit_orders_per_user"):
        Settings(_env_file=None, rate_limit_orders_per_user=text)


def test_an_empty_limit_switches_it_off_and_several_may_be_combined() -> None:
    settings = Settings(
        _env_file=None,
        rate_limit_orders_per_user="",
        rate_limit_orders_per_address="5/second;100/hour",
    )

    assert settings.rate_limit_orders_per_user == ""
