"""A real OpenID provider endpoint on 127.0.0.1 for the OIDC tests: discovery and JWKS served
over HTTP like Keycloak's, and tokens shaped exactly like Keycloak access tokens."""

import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.auth.forge import new_rsa_key, stranger_key

REALM_PATH = "/realms/oms"
DISCOVERY_PATH = f"{REALM_PATH}/.well-known/openid-configuration"
CERTS_PATH = f"{REALM_PATH}/protocol/openid-connect/certs"


class OpenIdProvider:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.issuer = base_url + REALM_PATH
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.requests: Counter[str] = Counter()
        self.broken = False
        self.discovery_issuer: str | None = None
        self.current_kid = self.add_key()

    def add_key(self) -> str:
        kid = uuid.uuid4().hex[:16]
        self.keys[kid] = new_rsa_key()
        return kid

    def rotate(self) -> str:
        """A new signing key, published next to the old ones (as Keycloak does)."""
        self.current_kid = self.add_key()
        return self.current_kid

    @property
    def key(self) -> rsa.RSAPrivateKey:
        return self.keys[self.current_kid]

    def discovery(self) -> dict[str, Any]:
        openid = f"{self.issuer}/protocol/openid-connect"
        return {
            "issuer": self.discovery_issuer or self.issuer,
            "authorization_endpoint": f"{openid}/auth",
            "token_endpoint": f"{openid}/token",
            "jwks_uri": self.base_url + CERTS_PATH,
            "userinfo_endpoint": f"{openid}/userinfo",
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["plain", "S256"],
        }

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, key in self.keys.items():
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        # Keycloak also publishes an encryption key; OMS must skip it.
        encryption = json.loads(RSAAlgorithm.to_jwk(stranger_key().public_key()))
        keys.append({**encryption, "kid": "enc-key", "use": "enc", "alg": "RSA-OAEP"})
        return {"keys": keys}

    def claims(
        self,
        *,
        subject: str = "0b6f5c1e-6a4f-4d8e-9a51-2f0c3d4e5a6b",
        roles: list[str] | None = None,
        email: str = "ada@example.com",
        name: str = "Ada Admin",
        email_verified: bool = True,
        **overrides: Any,
    ) -> dict[str, Any]:
        """The claims of a Keycloak 26 access token for the `oms-admin` SPA."""
        now = int(time.time())
        given, _, family = name.partition(" ")
        claims: dict[str, Any] = {
            "exp": now + 300,
            "iat": now,
            "auth_time": now - 5,
            "jti": f"onrtac:{uuid.uuid4()}",
            "iss": self.issuer,
            "aud": ["oms-api", "account"],
            "sub": subject,
            "typ": "Bearer",
            "azp": "oms-admin",
            "sid": str(uuid.uuid4()),
            "acr": "1",
            "allowed-origins": ["http://localhost:5174"],
            "realm_access": {
                "roles": ["default-roles-oms", "offline_access", "uma_authorization"]
                + (roles if roles is not None else ["admin"])
            },
            "resource_access": {
                "account": {"roles": ["manage-account", "manage-account-links", "view-profile"]}
            },
            "scope": "openid email profile",
            "email_verified": email_verified,
            "name": name,
            "preferred_username": email.split("@")[0],
            "given_name": given,
            "family_name": family,
            "email": email,
        }
        claims.update(overrides)
        return claims

    def token(self, claims: dict[str, Any] | None = None, *, kid: str | None = None) -> str:
        kid = kid or self.current_kid
        return jwt.encode(
            claims or self.claims(), self.keys[kid], algorithm="RS256", headers={"kid": kid}
        )


def _handler(provider: OpenIdProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            provider.requests[self.path] += 1
            documents = {DISCOVERY_PATH: provider.discovery, CERTS_PATH: provider.jwks}
            if provider.broken or self.path not in documents:
                self.send_response(503 if provider.broken else 404)
                self.end_headers()
                return
            body = json.dumps(documents[self.path]()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    return Handler


@contextmanager
def openid_provider() -> Iterator[OpenIdProvider]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    provider = OpenIdProvider(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(provider)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
