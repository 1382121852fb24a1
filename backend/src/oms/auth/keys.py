"""OMS's own signing keys: created on first start, kept in the database, published as a JWKS."""

import asyncio
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from oms.auth import repository

RSA_KEY_BITS = 2048


@dataclass(frozen=True)
class KeyRing:
    """The key that signs new tokens and every public key that still verifies old ones."""

    signing_kid: str
    signing_key: rsa.RSAPrivateKey
    public_keys: dict[str, rsa.RSAPublicKey]

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        keys = []
        for kid, public_key in self.public_keys.items():
            jwk = json.loads(RSAAlgorithm.to_jwk(public_key))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": keys}


def _new_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _load_private(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("signing keys are RSA keys")
    return key


async def load_or_create_key_ring(session: AsyncSession) -> KeyRing:
    """Several API processes may start at once; the first creates the key, the others read it."""
    await repository.lock_signing_keys(session)
    stored = await repository.active_signing_keys(session)
    if not stored:
        kid = secrets.token_urlsafe(12)
        await repository.add_signing_key(session, kid, _new_private_key_pem())
        stored = await repository.active_signing_keys(session)
    private = {row.kid: _load_private(row.private_key_pem) for row in stored}
    newest = stored[0].kid
    return KeyRing(
        signing_kid=newest,
        signing_key=private[newest],
        public_keys={kid: key.public_key() for kid, key in private.items()},
    )


class KeyStore:
    """Loads the key ring on first use (so a process can start while the database is down)
    and again, at most every `refresh_interval` seconds, when a token names an unknown kid
    (a key another replica created)."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], refresh_interval: float = 30.0
    ) -> None:
        self._sessions = sessions
        self._ring: KeyRing | None = None
        self._loaded_at = 0.0
        self._refresh_interval = refresh_interval
        self._lock = asyncio.Lock()

    async def ring(self) -> KeyRing:
        if self._ring is None:
            return await self._load()
        return self._ring

    async def ring_knowing(self, kid: str) -> KeyRing:
        ring = await self.ring()
        if kid in ring.public_keys or time.monotonic() - self._loaded_at < self._refresh_interval:
            return ring
        return await self._load()

    async def _load(self) -> KeyRing:
        async with self._lock:
            async with self._sessions() as session, session.begin():
                self._ring = await load_or_create_key_ring(session)
            self._loaded_at = time.monotonic()
            return self._ring
