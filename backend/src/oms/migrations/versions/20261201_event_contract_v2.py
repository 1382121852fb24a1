"""event contract v2: one head for every module, outbox rows know their envelope version

Merges the modules' four branches into one line of history (migrations from here on
follow one another), and adds what version 2 of the event envelope needs: the envelope
version and test flag of each outbox row, and the customer's name on an order.

Revision ID: c0de0e7e0002
Revises: c47a1060e001, e7e0e5e10001, b7e1f0a40003, b2a17c0e0001
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0de0e7e0002"
down_revision: str | Sequence[str] | None = (
    "c47a1060e001",
    "e7e0e5e10001",
    "b7e1f0a40003",
    "b2a17c0e0001",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows written before this revision hold version 1 envelopes; new rows name their own.
    op.add_column(
        "outbox_events",
        sa.Column("version", sa.SmallInteger(), server_default="1", nullable=False),
    )
    op.alter_column("outbox_events", "version", server_default=None)
    op.add_column(
        "outbox_events",
        sa.Column("test", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column("orders", sa.Column("customer_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("orders", "customer_name")
    op.drop_column("outbox_events", "test")
    op.drop_column("outbox_events", "version")
