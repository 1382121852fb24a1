"""listing indexes: the keyset orders of users, worker configurations, deliveries, sent mail

Each listing pages by a unique key (see `oms.core.pagination`); these indexes serve those
orders, so a page reads only its own rows however long the list grows.

Revision ID: 9a9e0c0e0001
Revises: c0de0e7e0002
Create Date: 2026-12-01 10:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "9a9e0c0e0001"
down_revision: str | Sequence[str] | None = "c0de0e7e0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_users_created_at_id", "users", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_worker_configurations_listing",
        "worker_configurations",
        ["worker_type", "name", "id"],
        unique=False,
    )
    op.create_index("ix_deliveries_started_at_id", "deliveries", ["started_at", "id"], unique=False)
    op.create_index(
        "ix_sent_emails_created_at_id", "sent_emails", ["created_at", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_sent_emails_created_at_id", table_name="sent_emails")
    op.drop_index("ix_deliveries_started_at_id", table_name="deliveries")
    op.drop_index("ix_worker_configurations_listing", table_name="worker_configurations")
    op.drop_index("ix_users_created_at_id", table_name="users")
