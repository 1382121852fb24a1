"""order events, live: NOTIFY `oms_order_events` with each order event recorded

The API processes LISTEN on it and stream the events to the clients following orders; the
payload carries what a client is shown and whose order it is, so no process queries per
event. `occurred_at` is indexed for the replay of the last hour (`Last-Event-ID`).

Revision ID: 5a0ed0e50003
Revises: 5a0ed0e50002
Create Date: 2026-12-02 09:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5a0ed0e50003"
down_revision: str | Sequence[str] | None = "5a0ed0e50002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A domain event only: not a replay to one worker, not a configuration's test sample.
NOTIFY_ORDER_EVENT = """
CREATE FUNCTION oms_notify_order_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('oms_order_events', json_build_object(
    'id', NEW.id,
    'type', NEW.type,
    'order_id', NEW.order_id,
    'customer_id', NEW.data -> 'order' -> 'customer' ->> 'id',
    'number', NEW.data -> 'order' ->> 'number',
    'status', NEW.data -> 'order' -> 'status' ->> 'code',
    'previous_status', NEW.data -> 'previous_status' ->> 'code',
    'version', (NEW.data -> 'order' ->> 'version')::integer,
    'occurred_at', NEW.occurred_at
  )::text);
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_index("ix_outbox_events_occurred_at", "outbox_events", ["occurred_at"])
    op.execute(NOTIFY_ORDER_EVENT)
    op.execute(
        "CREATE TRIGGER outbox_events_notify_order_event AFTER INSERT ON outbox_events "
        "FOR EACH ROW WHEN (NEW.target_worker IS NULL AND NOT NEW.test "
        "AND NEW.order_id IS NOT NULL) EXECUTE FUNCTION oms_notify_order_event()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_events_notify_order_event ON outbox_events")
    op.execute("DROP FUNCTION IF EXISTS oms_notify_order_event()")
    op.drop_index("ix_outbox_events_occurred_at", table_name="outbox_events")
