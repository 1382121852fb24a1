"""Request and response bodies of the auth endpoints."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    StringConstraints,
)

from oms.auth.permissions import Role

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 256

# Lower-cased after validation: OMS treats emails case-insensitively throughout.
Email = Annotated[EmailStr, AfterValidator(lambda value: value.strip().lower())]
NewPassword = Annotated[
    str,
    Field(
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        description=f"At least {PASSWORD_MIN_LENGTH} characters.",
    ),
]
FullName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


# An example sign-in for the OpenAPI document.
EXAMPLE_EMAIL = "cora@example.com"
EXAMPLE_PASSWORD = "correct horse battery staple"  # noqa: S105 - an example in the docs


class Credentials(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"email": EXAMPLE_EMAIL, "password": EXAMPLE_PASSWORD}]},
    )

    # Not validated as an email: a login must fail like any other wrong login, not with 400.
    email: Annotated[str, Field(min_length=1, max_length=320)]
    password: Annotated[str, Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)]


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]


class TokenRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0"
                    ".eyJzdWIiOiI2YzFmMmQ5ZSIsInJvbGVzIjpbImN1c3RvbWVyIl19.c2lnbmF0dXJl",
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "refresh_token": "Jm9vQmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbA",
                }
            ]
        }
    )

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int = Field(description="Seconds the access token is valid.")
    refresh_token: str


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: NewPassword
    full_name: FullName = ""


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    roles: list[Role]
    is_active: bool
    external_subject: str | None
    created_at: datetime
    updated_at: datetime


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: NewPassword
    full_name: FullName = ""
    roles: Annotated[list[Role], Field(min_length=1)]


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
    roles: Annotated[list[Role], Field(min_length=1)] | None = None
    is_active: StrictBool | None = None
    password: NewPassword | None = None


class ProfileUpdate(BaseModel):
    """One's own profile: the name and, given the current one, a new password. Roles and the
    active flag cannot be changed here (unknown fields are refused)."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
    current_password: Annotated[str, Field(max_length=PASSWORD_MAX_LENGTH)] | None = None
    new_password: NewPassword | None = None
