"""Whose orders a caller sees: the one place that decides it."""

from oms.auth import service as auth
from oms.orders.repository import ALL_ORDERS, Visibility


def visibility_of(principal: auth.Principal) -> Visibility:
    """Staff who may read all orders see every customer's; anyone else only their own."""
    if principal.can(auth.Permission.ORDERS_READ_ALL):
        return ALL_ORDERS
    return Visibility(customer_id=principal.user_id)
