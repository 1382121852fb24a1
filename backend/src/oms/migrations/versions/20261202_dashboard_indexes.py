"""dashboard indexes: orders per day, orders per status, recent failed deliveries

The dashboard must stay fast on a million orders:

- orders per day over the last 30 days read one index range per day, without the table: the
  created-at index carries the total, currency and status;
- orders per status come from `order_status_counts`, kept by a trigger on `orders`, since a
  count over every order takes longer than the whole dashboard may. The counts are striped
  over 16 slots (by backend process) so that concurrent order creations do not queue on one
  row per status; a status change touches its two rows in code order, so two changes never
  wait on each other in a cycle;
- the ten latest failed or dead deliveries come from a partial index of just those.

Revision ID: da5b0a7d0001
Revises: 5a0ed0e50003
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "da5b0a7d0001"
down_revision: str | Sequence[str] | None = "5a0ed0e50003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNT_STATUS_CHANGES = """
CREATE FUNCTION order_status_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stripe smallint := pg_backend_pid() % 16;
    change record;
BEGIN
    FOR change IN
        SELECT code, sum(delta) AS delta FROM (
            SELECT NEW.status AS code, 1 AS delta WHERE TG_OP IN ('INSERT', 'UPDATE')
            UNION ALL
            SELECT OLD.status, -1 WHERE TG_OP IN ('UPDATE', 'DELETE')
        ) AS changes
        GROUP BY code HAVING sum(delta) <> 0 ORDER BY code
    LOOP
        INSERT INTO order_status_counts AS counts (status, slot, orders)
        VALUES (change.code, stripe, change.delta)
        ON CONFLICT (status, slot) DO UPDATE SET orders = counts.orders + EXCLUDED.orders;
    END LOOP;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_index(
        "ix_orders_created_at_totals",
        "orders",
        ["created_at"],
        postgresql_include=["total", "currency", "status"],
    )
    op.drop_index("ix_orders_created_at", table_name="orders")
    op.create_index(
        "ix_deliveries_failed_started_at",
        "deliveries",
        ["started_at", "id"],
        postgresql_where=sa.text("status IN ('failed', 'dead')"),
    )
    op.create_table(
        "order_status_counts",
        sa.Column("status", sa.String(length=50), nullable=False),
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("status", "slot"),
    )
    op.execute(
        "INSERT INTO order_status_counts (status, slot, orders) "
        "SELECT status, 0, count(*) FROM orders GROUP BY status"
    )
    op.execute(COUNT_STATUS_CHANGES)
    op.execute(
        "CREATE TRIGGER orders_count_statuses AFTER INSERT OR DELETE OR UPDATE OF status "
        "ON orders FOR EACH ROW EXECUTE FUNCTION order_status_counts_track()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER orders_count_statuses ON orders")
    op.execute("DROP FUNCTION order_status_counts_track()")
    op.drop_table("order_status_counts")
    op.drop_index("ix_deliveries_failed_started_at", table_name="deliveries")
    op.create_index("ix_orders_created_at", "orders", ["created_at"])
    op.drop_index("ix_orders_created_at_totals", table_name="orders")
