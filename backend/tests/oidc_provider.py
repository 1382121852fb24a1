"""A real OpenID provider on 127.0.0.1 for tests: the npm package `oidc-provider` run by
`tests/oidc/provider/provider.js`, configured like `deploy/keycloak/realm-oms.json`.

`with running_oidc_provider(redirect_uris, accounts) as issuer:` starts it (installing its
locked dependencies with `npm ci` the first time) and yields its issuer URL; where a client
may be sent after signing out is `post_logout_redirect_uris` (by default the redirect URIs). Without
Node.js the test is skipped, except under `CI=true`, where it fails. Browser tests use it too.
"""

import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

from tests.database import in_ci

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc" / "provider"
READY_TIMEOUT = 30.0
INSTALL_LOCK = threading.Lock()


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    roles: Sequence[str] = ("customer",)
    name: str = ""
    sub: str = field(default_factory=lambda: secrets.token_hex(16))

    def as_config(self) -> dict[str, object]:
        return {
            "email": self.email,
            "password": self.password,
            "roles": list(self.roles),
            "name": self.name,
            "sub": self.sub,
        }


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        message = f"`{name}` is not installed: the OpenID provider of the tests needs Node.js 20+"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


def _install_dependencies(npm: str) -> None:
    with INSTALL_LOCK:
        if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
            return
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=PROVIDER_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )


@contextmanager
def running_oidc_provider(
    redirect_uris: Sequence[str],
    accounts: Sequence[Account],
    *,
    post_logout_redirect_uris: Sequence[str] | None = None,
) -> Iterator[str]:
    """The provider serving until the block ends; yields its issuer URL."""
    node = _tool("node")
    _install_dependencies(_tool("npm"))
    config = {
        "redirect_uris": list(redirect_uris),
        "post_logout_redirect_uris": list(post_logout_redirect_uris or redirect_uris),
        "accounts": [a.as_config() for a in accounts],
    }
    process = subprocess.Popen(
        [node, "provider.js"],
        cwd=PROVIDER_DIR,
        env={**os.environ, "OMS_TEST_OIDC_CONFIG": json.dumps(config)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        issuer = _wait_until_ready(process)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _wait_until_ready(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("{") and json.loads(line).get("ready"):
                found.append(str(json.loads(line)["issuer"]))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(READY_TIMEOUT)
    if not found:
        process.kill()
        raise AssertionError("the OpenID provider did not start:\n" + "".join(lines))
    # Keep draining its output so that it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in process.stdout or ()], daemon=True).start()
    return found[0]


# --- the authorization code flow with PKCE, as a browser app performs it ------------------


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str

    @classmethod
    def new(cls) -> "Pkce":
        verifier = secrets.token_urlsafe(48)
        digest = hashlib.sha256(verifier.encode()).digest()
        return cls(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode())


def discovery(issuer: str) -> dict[str, object]:
    response = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    document: dict[str, object] = response.json()
    return document


def _form_action(page: httpx.Response) -> str:
    match = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert match, f"no login form on the provider's page:\n{page.text}"
    return urljoin(str(page.url), unescape(match.group(1)))


def submit_login(
    http: httpx.Client,
    issuer: str,
    *,
    client_id: str,
    redirect_uri: str,
    email: str,
    password: str,
    pkce: Pkce,
    state: str = "state-1",
) -> httpx.Response:
    """Starts the flow as the app would and submits the provider's login form: its answer."""
    document = discovery(issuer)
    params = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": "openid profile email",
        "state": state,
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
    }
    page = http.get(str(document["authorization_endpoint"]), params=params, follow_redirects=True)
    assert page.status_code == 200, page.text
    return http.post(_form_action(page), data={"email": email, "password": password})


def authorization_code(
    http: httpx.Client,
    issuer: str,
    *,
    client_id: str,
    redirect_uri: str,
    email: str,
    password: str,
    pkce: Pkce,
    state: str = "state-1",
) -> str:
    """Signs in on the provider's login page and returns the code it redirects back with."""
    response = submit_login(
        http,
        issuer,
        client_id=client_id,
        redirect_uri=redirect_uri,
        email=email,
        password=password,
        pkce=pkce,
        state=state,
    )
    for _ in range(10):
        location = response.headers.get("location")
        assert location, f"no redirect: {response.status_code} {response.text}"
        target = urljoin(str(response.url), location)
        if target.startswith(redirect_uri):
            query: dict[str, list[str]] = parse_qs(urlsplit(target).query)
            assert query.get("state") == [state], query
            assert "code" in query, query
            return query["code"][0]
        response = http.get(target)
    raise AssertionError("the provider never redirected back")


def exchange_code(
    http: httpx.Client, issuer: str, *, client_id: str, redirect_uri: str, code: str, verifier: str
) -> httpx.Response:
    document = discovery(issuer)
    return http.post(
        str(document["token_endpoint"]),
        data={
            "grant_type": "authorization_code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "code": code,
            "code_verifier": verifier,
        },
    )
