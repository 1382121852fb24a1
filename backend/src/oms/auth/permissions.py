"""Who may do what: the one table of roles and their permissions.

Endpoints declare the permission they need (`Requires(Permission.X)`); nothing else in OMS
decides by role name.
"""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    CUSTOMER = "customer"


class Permission(StrEnum):
    CATALOGUE_READ = "catalogue:read"
    CATALOGUE_WRITE = "catalogue:write"
    ORDERS_CREATE = "orders:create"
    ORDERS_READ_OWN = "orders:read-own"
    ORDERS_READ_ALL = "orders:read-all"
    ORDERS_CREATE_FOR_CUSTOMER = "orders:create-for-customer"
    ORDERS_TRANSITION = "orders:transition"
    # Staff: move many orders at once, each checked as one move is.
    ORDERS_BULK_TRANSITION = "orders:bulk-transition"
    # Staff: read and write internal notes on any order, and delete their own.
    ORDER_NOTES = "orders:notes"
    # Delete anyone's note, not only one's own.
    ORDER_NOTES_DELETE_ANY = "orders:notes-delete-any"
    CONFIG_READ = "config:read"
    CONFIG_WRITE = "config:write"
    USERS_MANAGE = "users:manage"
    CUSTOMERS_READ = "customers:read"
    AUDIT_READ = "audit:read"
    PROFILE = "profile"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MANAGER: frozenset(
        {
            Permission.CATALOGUE_READ,
            Permission.CATALOGUE_WRITE,
            Permission.ORDERS_CREATE,
            Permission.ORDERS_READ_OWN,
            Permission.ORDERS_READ_ALL,
            Permission.ORDERS_CREATE_FOR_CUSTOMER,
            Permission.ORDERS_TRANSITION,
            Permission.ORDERS_BULK_TRANSITION,
            Permission.ORDER_NOTES,
            Permission.CONFIG_READ,
            Permission.CUSTOMERS_READ,
            Permission.PROFILE,
        }
    ),
    Role.CUSTOMER: frozenset(
        {
            Permission.CATALOGUE_READ,
            Permission.ORDERS_CREATE,
            Permission.ORDERS_READ_OWN,
            Permission.ORDERS_TRANSITION,
            Permission.PROFILE,
        }
    ),
}


def permissions_of(roles: frozenset[Role]) -> frozenset[Permission]:
    granted: frozenset[Permission] = frozenset()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return granted


def known_roles(names: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[Role]:
    """The OMS roles among `names`; unknown role names (an IdP's own) are ignored."""
    values = {role.value for role in Role}
    return frozenset(Role(name) for name in names if name in values)
