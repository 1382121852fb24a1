"""`oms user create`: the same rules as the API, errors as one line for the command."""

import uuid
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError

from oms.auth.errors import EmailTaken
from oms.auth.permissions import Role
from oms.auth.schemas import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, Email, NewPassword
from oms.auth.users import create_user
from oms.core import audit
from oms.core.db import create_engine, create_sessionmaker
from oms.core.startup_errors import StartupError


@dataclass(frozen=True)
class NewUser:
    email: str
    roles: frozenset[Role]
    full_name: str
    password: str

    @classmethod
    def checked(cls, *, email: str, roles: list[str], full_name: str, password: str) -> "NewUser":
        """Checked before any database is touched: a typo costs nothing."""
        try:
            normalized = TypeAdapter(Email).validate_python(email)
        except ValidationError as error:
            raise StartupError(f"{email!r} is not a valid email address") from error
        known = sorted(role.value for role in Role)
        unknown = sorted(set(roles) - set(known))
        if unknown or not roles:
            given = ", ".join(unknown) or "(none given)"
            raise StartupError(f"unknown role {given}; use {', '.join(known)}")
        try:
            TypeAdapter(NewPassword).validate_python(password)
        except ValidationError as error:
            raise StartupError(
                f"the password must have {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters"
            ) from error
        return cls(normalized, frozenset(Role(role) for role in roles), full_name.strip(), password)


async def create_user_from_cli(url: str, new_user: NewUser) -> uuid.UUID:
    engine = create_engine(url)
    try:
        with audit.acting_from("cli"):
            async with create_sessionmaker(engine)() as session, session.begin():
                user = await create_user(
                    session,
                    email=new_user.email,
                    password=new_user.password,
                    full_name=new_user.full_name,
                    roles=new_user.roles,
                )
                return user.id
    except EmailTaken as error:
        raise StartupError(f"a user with the email {new_user.email} already exists") from error
    finally:
        await engine.dispose()
