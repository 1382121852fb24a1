"""catalogue versions: products and categories carry a version for If-Match

Each change of a product (its fields, stock, images, archiving) or of a category adds one to
its `version`; `PATCH` takes the ETag made from it as `If-Match`, so that an edit made on a
stale copy is refused (412) instead of overwriting someone else's change.

Revision ID: c47a1060e002
Revises: 0e5a7c1d0001
Create Date: 2026-12-12 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c47a1060e002"
down_revision: str | Sequence[str] | None = "0e5a7c1d0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("categories", "products"):
        op.add_column(
            table,
            sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        )


def downgrade() -> None:
    for table in ("products", "categories"):
        op.drop_column(table, "version")
