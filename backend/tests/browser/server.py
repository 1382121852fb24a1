"""A real OMS for the browser tests: `oms run` (API, relay and workers in one process, so
emails land in the sent-mail view) on a database of its own, with the demo data, serving the
built apps; and API clients signed in as its users."""

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.api_process import running
from tests.database import create_database, drop_database
from tests.processes import free_port

DEMO_PASSWORD = "demo-password-for-browsers"
ADMIN_EMAIL = "admin@example.com"
MANAGER_EMAIL = "manager@example.com"
CUSTOMER_EMAIL = "customer@example.com"
# Every browser test signs in from one address, often in a burst.
NO_RATE_LIMITS = {
    "OMS_RATE_LIMIT_PASSWORD_CHECKS_PER_ADDRESS": "",
    "OMS_RATE_LIMIT_PASSWORD_CHECKS_PER_USER": "",
    "OMS_RATE_LIMIT_ORDERS_PER_USER": "",
    "OMS_RATE_LIMIT_ORDERS_PER_ADDRESS": "",
    "OMS_LOGIN_MAX_FAILURES": "1000",
    "OMS_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
}
# Webhook tests post to receivers on 127.0.0.1, and a failing one gives up after one quick
# retry, so that a dead delivery is seen within seconds.
WEBHOOKS_TO_THIS_HOST = {
    "OMS_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
    "OMS_RETRY_DELAYS": "0.5",
}


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    full_name: str


@dataclass(frozen=True)
class OmsServer:
    url: str
    log: Path

    def api(self, token: str | None = None) -> httpx.AsyncClient:
        """A client of the server's API, signed in when given a token; close it after use."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=30)

    async def token_for(self, email: str, password: str = DEMO_PASSWORD) -> str:
        async with self.api() as http:
            response = await http.post(
                "/api/v1/auth/token", json={"email": email, "password": password}
            )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    async def signed_in(self, email: str, password: str = DEMO_PASSWORD) -> httpx.AsyncClient:
        return self.api(await self.token_for(email, password))

    async def register_customer(self) -> Account:
        """A new customer of their own, signed up like anyone through the API."""
        tag = uuid.uuid4().hex[:10]
        account = Account(f"shopper-{tag}@example.com", f"Pw-{uuid.uuid4().hex}", f"Shopper {tag}")
        async with self.api() as http:
            response = await http.post(
                "/api/v1/auth/register",
                json={
                    "email": account.email,
                    "password": account.password,
                    "full_name": account.full_name,
                },
            )
        assert response.status_code == 201, response.text
        return account


@contextmanager
def running_oms(
    server_url: str,
    database: str,
    web_dir: Path,
    log: Path,
    *,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[OmsServer]:
    """`oms run --seed-demo` on a fresh database `database`, until the block ends: on `port`
    (a free one by default; pick it first when another service must know the URL before OMS
    starts), with `env` added to its environment (e.g. the settings of OpenID Connect)."""
    database_url = create_database(server_url, database)
    port = port or free_port()
    settings = {
        "OMS_DATABASE_URL": database_url,
        "OMS_DEMO_PASSWORD": DEMO_PASSWORD,
        "OMS_WEB_DIR": str(web_dir),
        "OMS_PUBLIC_URL": f"http://127.0.0.1:{port}",
        **NO_RATE_LIMITS,
        **WEBHOOKS_TO_THIS_HOST,
        **(env or {}),
    }
    try:
        with running(
            "run", log, settings, args=["--seed-demo"], port=port, start_timeout=90
        ) as api:
            yield OmsServer(api.url, log)
    finally:
        drop_database(server_url, database)
