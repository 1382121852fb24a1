"""The workers' counter of delivery attempts (dead letters are the transports', in
`oms.outbox.metrics`)."""

from prometheus_client import Counter

DELIVERIES = Counter(
    "oms_deliveries",
    "Delivery attempts logged by a worker, by worker, outcome (`succeeded`, `failed`: to be "
    "retried, `dead`: the last attempt failed) and attempt number.",
    ["worker", "outcome", "attempt"],
)
