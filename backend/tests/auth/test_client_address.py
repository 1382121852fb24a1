"""The client address that limits count by: the forwarded one behind a trusted proxy, the
socket peer otherwise (a real server, since uvicorn decides it)."""

from collections.abc import Iterator

import httpx
import pytest

from tests.auth.helpers import TOKEN
from tests.processes import start_api

ONE_SIGN_IN_PER_ADDRESS = {"OMS_RATE_LIMIT_PASSWORD_CHECKS_PER_ADDRESS": "1/minute"}


@pytest.fixture
def api(database_url: str, clean_database: None, request: pytest.FixtureRequest) -> Iterator[str]:
    url, process = start_api(database_url, **ONE_SIGN_IN_PER_ADDRESS, **request.param)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(30)


def _sign_in_from(api: str, forwarded_for: str) -> int:
    response = httpx.post(
        f"{api}{TOKEN}",
        json={"email": "nobody@example.com", "password": "not the password"},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


@pytest.mark.parametrize("api", [{}], indirect=True)
def test_behind_a_trusted_proxy_each_forwarded_address_has_its_own_budget(api: str) -> None:
    first = [_sign_in_from(api, "203.0.113.1") for _ in range(2)]
    second = _sign_in_from(api, "203.0.113.2")

    assert first == [401, 429]
    assert second == 401


@pytest.mark.parametrize("api", [{"OMS_TRUSTED_PROXIES": "10.9.9.9"}], indirect=True)
def test_from_an_untrusted_peer_the_forwarded_address_is_ignored(api: str) -> None:
    first = _sign_in_from(api, "203.0.113.1")
    spoofed = _sign_in_from(api, "203.0.113.2")

    assert first == 401
    assert spoofed == 429
