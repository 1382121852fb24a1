"""Request and response bodies of the workflow API."""

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
CustomerName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="What a customer sees instead of `name`.",
        examples=["On its way"],
    ),
]
CustomerDescription = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="A sentence for the customer about this status.",
        examples=["Your parcel has left our warehouse."],
    ),
]


class StatusCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: StatusCode
    name: StatusName
    customer_name: CustomerName | None = None
    customer_description: CustomerDescription | None = None
    colour: Colour = "#64748b"
    is_initial: bool = Field(
        default=False,
        description="Orders start here. Setting it moves the flag from the current initial "
        "status; the first status created is initial whatever this says.",
    )
    is_terminal: bool = False
    releases_stock: bool = Field(
        default=False, description="Entering this status gives the order's stock back."
    )
    position: int | None = Field(default=None, ge=0, le=10_000)


class StatusUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: StatusCode | None = Field(default=None, description="Only while nothing uses it.")
    name: StatusName | None = None
    customer_name: CustomerName | None = Field(default=None, description="`null` clears it.")
    customer_description: CustomerDescription | None = Field(
        default=None, description="`null` clears it."
    )
    colour: Colour | None = None
    is_initial: bool | None = None
    is_terminal: bool | None = None
    releases_stock: bool | None = None
    position: int | None = Field(default=None, ge=0, le=10_000)


class StatusRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    customer_name: str | None
    customer_description: str | None
    colour: str
    is_initial: bool
    is_terminal: bool
    releases_stock: bool
    position: int


class CustomerStatusRead(BaseModel):
    """A status as customers see it: its customer name, or else its name."""

    code: str
    name: str
    description: str | None
    colour: str
    is_terminal: bool
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


class GraphProblemRead(BaseModel):
    kind: str = Field(
        description="`no_initial_status`, `unreachable` (no path from the initial status),"
        " `dead_end` (not terminal, no exit) or `no_role` (no role may take the transition).",
        examples=["dead_end"],
    )
    message: str
    status: str | None = Field(default=None, description="The status concerned, if one.")
    transition_id: uuid.UUID | None = Field(
        default=None, description="The transition concerned, if one."
    )


class WorkflowGraph(BaseModel):
    """Statuses as nodes, transitions as edges, and what is wrong with the whole."""

    statuses: list[StatusRead]
    transitions: list[TransitionRead]
    problems: list[GraphProblemRead]
