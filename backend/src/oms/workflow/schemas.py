"""Request and response bodies of the workflow API."""

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from oms.auth import service as auth

StatusCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=50,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Lower-case letters, digits and underscores, starting with a letter.",
        examples=["confirmed"],
    ),
]
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#2563eb"])]
StatusName = Annotated[str, Field(min_length=1, max_length=100)]


class StatusCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: StatusCode
    name: StatusName
    colour: Colour = "#64748b"
    is_initial: StrictBool = Field(
        default=False,
        description="Orders start here. Setting it moves the flag from the current initial "
        "status; the first status created is initial whatever this says.",
    )
    is_terminal: StrictBool = False
    releases_stock: StrictBool = Field(
        default=False, description="Entering this status gives the order's stock back."
    )
    position: StrictInt | None = Field(default=None, ge=0, le=10_000)


class StatusUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: StatusCode | None = Field(default=None, description="Only while nothing uses it.")
    name: StatusName | None = None
    colour: Colour | None = None
    is_initial: StrictBool | None = None
    is_terminal: StrictBool | None = None
    releases_stock: StrictBool | None = None
    position: StrictInt | None = Field(default=None, ge=0, le=10_000)


class StatusRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    colour: str
    is_initial: bool
    is_terminal: bool
    releases_stock: bool
    position: int


RoleList = Annotated[list[auth.Role], Field(min_length=1, max_length=len(auth.Role))]


class TransitionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_status: StatusCode
    to_status: StatusCode
    roles: RoleList

    @model_validator(mode="after")
    def _not_a_loop(self) -> "TransitionCreate":
        if self.from_status == self.to_status:
            raise ValueError("a transition must lead to another status")
        return self


class TransitionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: RoleList


class TransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    from_status: str
    to_status: str
    roles: list[str]
