"""The authenticated caller, as every module sees it, whatever issued the token."""

import uuid
from dataclasses import dataclass, field

from oms.auth.permissions import Permission, Role, permissions_of


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: uuid.UUID
    roles: frozenset[Role]
    email: str = ""
    name: str = ""
    token_id: str = ""
    permissions: frozenset[Permission] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "permissions", permissions_of(self.roles))

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions
