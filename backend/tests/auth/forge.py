"""Forged and broken tokens for the RFC 8725 tests, built by hand where PyJWT would refuse."""

import base64
import functools
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def stranger_key() -> rsa.RSAPrivateKey:
    """A key nobody trusts (made once: RSA key generation is slow)."""
    return new_rsa_key()


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def sign(
    key: rsa.RSAPrivateKey, kid: str | None, claims: dict[str, Any], alg: str = "RS256"
) -> str:
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(claims, key, algorithm=alg, headers=headers)


def unsigned(kid: str, claims: dict[str, Any], alg: str = "none") -> str:
    return f"{_segment({'alg': alg, 'typ': 'JWT', 'kid': kid})}.{_segment(claims)}."


def hs256_with_secret(secret: bytes, kid: str, claims: dict[str, Any]) -> str:
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{_segment(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def with_payload(token: str, claims: dict[str, Any]) -> str:
    """The token's header and signature around another payload."""
    header, _, signature = token.split(".")
    return f"{header}.{_segment(claims)}.{signature}"


def attacks(
    key: rsa.RSAPrivateKey, kid: str, claims: dict[str, Any], required: list[str]
) -> dict[str, str]:
    """Every way a token must be refused, given the key and claims of a valid one."""
    now = int(time.time())
    valid = sign(key, kid, claims)
    forged: dict[str, str] = {
        "alg-none": unsigned(kid, claims),
        "alg-None": unsigned(kid, claims, alg="None"),
        "alg-RS256-without-signature": unsigned(kid, claims, alg="RS256"),
        "hs256-signed-with-the-public-key": hs256_with_secret(public_pem(key), kid, claims),
        "unknown-kid": sign(key, "not-a-known-key", claims),
        "no-kid": sign(key, None, claims),
        "another-key-claiming-the-kid": sign(stranger_key(), kid, claims),
        "algorithm-not-configured-RS512": sign(key, kid, claims, alg="RS512"),
        "expired": sign(key, kid, {**claims, "iat": now - 600, "exp": now - 60}),
        "not-yet-valid": sign(key, kid, {**claims, "nbf": now + 600}),
        "issued-by-someone-else": sign(key, kid, {**claims, "iss": "https://evil.example.com"}),
        "for-another-audience": sign(key, kid, {**claims, "aud": "someone-else"}),
        "tampered-payload": with_payload(valid, {**claims, "sub": claims["sub"] + "x"}),
        "tampered-roles": with_payload(
            valid, {**claims, "roles": ["admin"], "realm_access": {"roles": ["admin"]}}
        ),
        "not-a-jwt": "not.a.jwt",
        "empty-segments": "..",
    }
    for claim in required:
        forged[f"missing-{claim}"] = sign(
            key, kid, {name: value for name, value in claims.items() if name != claim}
        )
    return forged
