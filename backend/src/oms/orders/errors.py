"""Errors of the orders module."""

import uuid
from decimal import Decimal

from oms.core.errors import (
    Conflict,
    Forbidden,
    InvalidFields,
    NotFound,
    PreconditionFailed,
    Unprocessable,
    field_error,
)


class OrderNotFound(NotFound):
    slug = "order-not-found"

    def __init__(self, order_id: uuid.UUID) -> None:
        super().__init__(f"There is no order {order_id} that you can see.")


class CustomerNotFound(NotFound):
    """No user with the customer role has this id."""

    slug = "customer-not-found"

    def __init__(self, customer_id: uuid.UUID) -> None:
        super().__init__(f"There is no customer {customer_id}.")


class CustomerChoiceNotAllowed(Forbidden):
    slug = "customer-choice-not-allowed"

    def __init__(self) -> None:
        super().__init__("Only staff may place an order for another customer (customer_id).")


class UnknownCustomer(Unprocessable):
    slug = "unknown-customer"

    def __init__(self, customer_id: uuid.UUID) -> None:
        super().__init__(
            f"There is no active user {customer_id} to order for.", customer_id=str(customer_id)
        )


class StaleOrder(PreconditionFailed):
    slug = "stale-order"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            "The order changed since you read it (If-Match does not match); read it again.",
            headers={"ETag": current_etag},
            current_etag=current_etag,
        )


class ItemTooLarge(InvalidFields):
    slug = "item-too-large"

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(
            [field_error(f"items.{line}.quantity", problem)], detail=f"items[{line}]: {problem}."
        )


class OrderTooLarge(InvalidFields):
    slug = "order-too-large"

    def __init__(self, max_total: Decimal) -> None:
        problem = f"the order total may be at most {max_total}"
        super().__init__(
            [field_error("items", problem)], detail=f"The order is too large: {problem}."
        )


class SavedAddressNotFound(NotFound):
    slug = "address-not-found"

    def __init__(self, address_id: uuid.UUID) -> None:
        super().__init__(f"You have no saved address {address_id}.")


class TooManySavedAddresses(Conflict):
    slug = "too-many-addresses"

    def __init__(self, limit: int) -> None:
        super().__init__(f"You may keep at most {limit} addresses; delete one first.", limit=limit)


class StaleSavedAddress(PreconditionFailed):
    slug = "stale-address"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            "The address changed since you read it (If-Match does not match); read it again.",
            headers={"ETag": current_etag},
            current_etag=current_etag,
        )


class SearchTooShort(InvalidFields):
    slug = "search-too-short"

    def __init__(self, minimum: int) -> None:
        problem = f"give an order number, or at least {minimum} letters or digits in a row"
        super().__init__(
            [field_error("q", problem, in_="query")],
            detail=f"The search text is too short: {problem}.",
        )


class OrderNoteNotFound(NotFound):
    slug = "order-note-not-found"

    def __init__(self, note_id: uuid.UUID) -> None:
        super().__init__(f"The order has no note {note_id}.")


class OrderNoteNotYours(Forbidden):
    slug = "order-note-not-yours"

    def __init__(self) -> None:
        super().__init__("Only the note's author, or an admin, may delete it.")
