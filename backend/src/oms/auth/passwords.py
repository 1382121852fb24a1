"""Password hashing with Argon2 (pwdlib's recommended parameters)."""

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()
# Verifying against this when no user matches keeps the timing of "no such user" and
# "wrong password" alike.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)
