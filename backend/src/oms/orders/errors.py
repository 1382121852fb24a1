"""Errors of the orders module."""

import uuid

from oms.core.errors import Forbidden, NotFound, PreconditionFailed, Unprocessable


class OrderNotFound(NotFound):
    slug = "order-not-found"

    def __init__(self, order_id: uuid.UUID) -> None:
        super().__init__(f"There is no order {order_id} that you can see.")


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
