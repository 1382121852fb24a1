"""The outbox's counters: events recorded (committed with their change), published, and
messages the transports dead-lettered."""

from prometheus_client import Counter

EVENTS_RECORDED = Counter(
    "oms_outbox_events_recorded",
    "Events written to the outbox by committed transactions, by event type.",
    ["type"],
)
EVENTS_PUBLISHED = Counter(
    "oms_outbox_events_published",
    "Outbox events the relay handed to the transport (broker-confirmed), by event type.",
    ["type"],
)
DEAD_LETTERED = Counter(
    "oms_dead_lettered",
    "Messages a worker moved to its dead-letter queue (retries used up, delivered too often "
    "without being finished, or unreadable), by worker.",
    ["worker"],
)
