"""order search and notes: the customer's name and email searched by trigram, the listing
sorted by total, and staff's internal notes on an order

- `q` of `GET /orders` matches part of the customer's email or name, both copied onto the
  order when it is placed: trigram GIN indexes (pg_trgm, installed by the catalogue's
  migration) answer `ILIKE '%text%'` on each without reading every order;
- sorting by total pages on (total, id), which an index serves since totals repeat;
- `order_notes` holds the notes, newest first per order.

Revision ID: 0e5a7c1d0001
Revises: c0570e7e0001
Create Date: 2026-12-15 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0e5a7c1d0001"
down_revision: str | Sequence[str] | None = "c0570e7e0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_orders_customer_email_trgm",
        "orders",
        ["customer_email"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"customer_email": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_orders_customer_name_trgm",
        "orders",
        ["customer_name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"customer_name": "gin_trgm_ops"},
    )
    op.create_index("ix_orders_total_id", "orders", ["total", "id"], unique=False)
    op.create_table(
        "order_notes",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("author_id", sa.UUID(), nullable=False),
        sa.Column("author_email", sa.String(length=320), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_notes_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_order_notes_author_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_notes")),
    )
    op.create_index(
        "ix_order_notes_order_id_created_at_id",
        "order_notes",
        ["order_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_order_notes_order_id_created_at_id", table_name="order_notes")
    op.drop_table("order_notes")
    op.drop_index("ix_orders_total_id", table_name="orders")
    op.drop_index("ix_orders_customer_name_trgm", table_name="orders")
    op.drop_index("ix_orders_customer_email_trgm", table_name="orders")
