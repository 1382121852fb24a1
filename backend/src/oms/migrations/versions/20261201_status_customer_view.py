"""status customer view: the name and description a customer sees for a status

Staff see `name` (say "Shipped"); a customer may see another name ("On its way") and a
sentence about what happens next. Both are optional and fall back to the staff name.

Revision ID: b7c3d5e10001
Revises: 9a9e0c0e0001
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c3d5e10001"
down_revision: str | Sequence[str] | None = "9a9e0c0e0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("order_statuses", sa.Column("customer_name", sa.String(100), nullable=True))
    op.add_column(
        "order_statuses", sa.Column("customer_description", sa.String(500), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("order_statuses", "customer_description")
    op.drop_column("order_statuses", "customer_name")
