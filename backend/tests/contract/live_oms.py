"""A real OMS server on a database of its own, seeded with the demo data, and a token for each
demo role: what the contract tests run against."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from oms.auth.demo import DEMO_USERS
from oms.auth.permissions import Role
from oms.core import migrations
from tests.database import checkout_tag, create_database, drop_database
from tests.processes import OMS, free_port, oms_env, wait_until_serving

DEMO_PASSWORD = "contract-demo-password"


@dataclass(frozen=True)
class LiveOms:
    base_url: str
    tokens: dict[Role, str]

    def headers(self, role: Role | None) -> dict[str, str]:
        """The bearer token of the demo user with `role`; no header for None (anonymous)."""
        return {} if role is None else {"Authorization": f"Bearer {self.tokens[role]}"}


def _sign_in(base_url: str, email: str) -> str:
    answer = httpx.post(
        f"{base_url}/api/v1/auth/token",
        json={"email": email, "password": DEMO_PASSWORD},
        timeout=10,
    )
    answer.raise_for_status()
    token: str = answer.json()["access_token"]
    return token


@contextmanager
def live_oms(server_url: str) -> Iterator[LiveOms]:
    name = f"oms_test_{checkout_tag()}_contract"
    database_url = create_database(server_url, name)
    env = oms_env(
        OMS_DATABASE_URL=database_url,
        OMS_DEMO_PASSWORD=DEMO_PASSWORD,
        # Longer than the run, so no token expires halfway through it.
        OMS_ACCESS_TOKEN_TTL="3600",
    )
    try:
        migrations.upgrade(database_url)
        subprocess.run([OMS, "seed", "--demo"], env=env, check=True, capture_output=True)
        port = free_port()
        process = subprocess.Popen(
            [OMS, "api"],
            env={**env, "OMS_PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_serving(f"{base_url}/health/live", process)
            tokens = {role: _sign_in(base_url, email) for email, _, role in DEMO_USERS}
            yield LiveOms(base_url=base_url, tokens=tokens)
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        drop_database(server_url, name)
