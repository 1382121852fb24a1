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

from oms.auth.permissions import Permission, Role

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


class ProfileRead(UserRead):
    """One's own account, with what its roles allow (so an app can hide what it may not do)."""

    permissions: list[Permission] = Field(description="Every permission the roles grant, sorted.")


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


class SessionTokenRead(BaseModel):
    """A browser sign-in's answer: the access token (kept in memory); the refresh token
    travels only in the `oms_refresh` cookie."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0"
                    ".eyJzdWIiOiI2YzFmMmQ5ZSIsInJvbGVzIjpbImN1c3RvbWVyIl19.c2lnbmF0dXJl",
                    "token_type": "bearer",
                    "expires_in": 300,
                }
            ]
        }
    )

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
    expires_in: int = Field(description="Seconds the access token is valid.")


class OidcClientConfig(BaseModel):
    issuer: str = Field(description="The OpenID provider's issuer URL (its discovery base).")
    client_id: str = Field(description="The public client of the app that asked.")
    scope: Literal["openid profile email"] = "openid profile email"


class ClientConfig(BaseModel):
    """What a browser app needs to know before it signs anyone in."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "mode": "local",
                    "registration_enabled": True,
                    "password_reset_enabled": True,
                    "oidc": None,
                },
                {
                    "mode": "oidc",
                    "registration_enabled": False,
                    "password_reset_enabled": False,
                    "oidc": {
                        "issuer": "https://sso.example.com/realms/oms",
                        "client_id": "oms-customer",
                        "scope": "openid profile email",
                    },
                },
            ]
        }
    )

    mode: Literal["local", "oidc"]
    registration_enabled: bool = Field(description="`POST /auth/register` is open.")
    password_reset_enabled: bool = Field(description="`POST /auth/password-reset` is open.")
    oidc: OidcClientConfig | None = Field(default=None, description="Set in `oidc` mode only.")


class PasswordResetRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"email": EXAMPLE_EMAIL}]}
    )

    # Not validated as an email: any address is answered alike.
    email: Annotated[str, Field(min_length=1, max_length=320)]


class PasswordResetAccepted(BaseModel):
    detail: str = Field(
        default="If the address belongs to an active account, a link to set a new password "
        "is on its way.",
    )


class PasswordResetConfirm(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "token": "Jm9vQmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbA",
                    "password": EXAMPLE_PASSWORD,
                }
            ]
        },
    )

    token: Annotated[str, Field(min_length=1, max_length=200)]
    password: NewPassword
