"""The orders module's counters, counted when the order's transaction commits."""

from prometheus_client import Counter

ORDERS_CREATED = Counter("oms_orders_created", "Orders placed.")
STATUS_CHANGES = Counter(
    "oms_order_status_changes",
    "Order status changes, by the status entered (its code).",
    ["status"],
)
