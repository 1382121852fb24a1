"""`oms user create` and `oms seed --demo`, run as the real command against the test database."""

import re
import subprocess

from fastapi import FastAPI
from httpx import AsyncClient

from tests.auth.helpers import PASSWORD, login
from tests.processes import OMS, free_port, oms_env


def _oms(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OMS, *args], input=stdin, env=oms_env(**env), capture_output=True, text=True, timeout=60
    )


def _error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("oms: error:")]


async def test_user_create_reads_the_password_from_stdin(
    app: FastAPI, client: AsyncClient, database_url: str
) -> None:
    result = _oms(
        "user", "create", "--email", "Root@Example.com", "--role", "admin",
        "--full-name", "Root", "--password-stdin",
        stdin=PASSWORD + "\n", OMS_DATABASE_URL=database_url,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "created user root@example.com" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
    response = await login(client, "root@example.com")
    assert response.status_code == 200
    users = await client.get(
        "/api/v1/users", headers={"Authorization": f"Bearer {response.json()['access_token']}"}
    )
    assert users.status_code == 200, "the created user is an admin"


async def test_user_create_prompts_for_the_password_twice(
    app: FastAPI, client: AsyncClient, database_url: str
) -> None:
    result = _oms(
        "user", "create", "--email", "mia@example.com", "--role", "manager", "--role", "customer",
        stdin=f"{PASSWORD}\n{PASSWORD}\n", OMS_DATABASE_URL=database_url,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "with roles customer, manager" in result.stdout
    assert (await login(client, "mia@example.com")).status_code == 200


async def test_user_create_refuses_a_taken_email_in_one_line(
    app: FastAPI, database_url: str
) -> None:
    arguments = ["user", "create", "--email", "a@example.com", "--role", "customer"]
    first = _oms(*arguments, "--password-stdin", stdin=PASSWORD, OMS_DATABASE_URL=database_url)
    second = _oms(*arguments, "--password-stdin", stdin=PASSWORD, OMS_DATABASE_URL=database_url)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert _error_lines(second) == [
        "oms: error: a user with the email a@example.com already exists"
    ]


def test_bad_input_is_refused_before_any_database_is_touched() -> None:
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/oms"
    short = _oms(
        "user", "create", "--email", "a@example.com", "--role", "admin", "--password-stdin",
        stdin="short\n", OMS_DATABASE_URL=unreachable,
    )  # fmt: skip
    role = _oms(
        "user", "create", "--email", "a@example.com", "--role", "root", "--password-stdin",
        stdin=PASSWORD, OMS_DATABASE_URL=unreachable,
    )  # fmt: skip
    email = _oms(
        "user", "create", "--email", "not-an-email", "--role", "admin", "--password-stdin",
        stdin=PASSWORD, OMS_DATABASE_URL=unreachable,
    )  # fmt: skip

    assert _error_lines(short) == ["oms: error: the password must have 12 to 256 characters"]
    assert _error_lines(role) == ["oms: error: unknown role root; use admin, customer, manager"]
    assert _error_lines(email) == ["oms: error: 'not-an-email' is not a valid email address"]


async def test_seed_demo_uses_the_configured_password_and_creates_users_once(
    app: FastAPI, client: AsyncClient, database_url: str
) -> None:
    env = {"OMS_DATABASE_URL": database_url, "OMS_DEMO_PASSWORD": "demo password 123"}
    first = _oms("seed", "--demo", **env)
    second = _oms("seed", "--demo", **env)

    assert first.returncode == 0, first.stderr
    assert "demo password 123" not in first.stdout
    assert "OMS_DEMO_PASSWORD" in first.stdout
    assert second.returncode == 0
    assert "Demo users created" not in second.stdout
    for email in ("admin@example.com", "manager@example.com", "customer@example.com"):
        assert (await login(client, email, "demo password 123")).status_code == 200


async def test_seed_demo_prints_a_random_password_once(
    app: FastAPI, client: AsyncClient, database_url: str
) -> None:
    first = _oms("seed", "--demo", OMS_DATABASE_URL=database_url)
    second = _oms("seed", "--demo", OMS_DATABASE_URL=database_url)

    match = re.search(r"shown only this once: (\S+)", first.stdout)
    assert match, first.stdout
    assert "shown only this once" not in second.stdout
    response = await login(client, "customer@example.com", match.group(1))
    assert response.status_code == 200
