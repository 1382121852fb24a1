"""Password hashing with Argon2 (pwdlib's recommended parameters).

Hashing takes tens of milliseconds of CPU on purpose; it runs in a worker thread (argon2
releases the GIL) so that the event loop keeps serving other requests meanwhile.
"""

import asyncio

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()
# Verifying against this when no user matches keeps the timing of "no such user" and
# "wrong password" alike.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        await asyncio.to_thread(_hasher.verify, password, _DUMMY_HASH)
        return False
    return await asyncio.to_thread(_hasher.verify, password, password_hash)
