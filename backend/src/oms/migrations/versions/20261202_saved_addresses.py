"""saved addresses: the shipping addresses each user keeps, at most one the default

Revision ID: 5a0ed0e50001
Revises: c4e1a9b20001
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5a0ed0e50001"
down_revision: str | Sequence[str] | None = "c4e1a9b20001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_addresses",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("label", sa.String(length=50), nullable=True),
        sa.Column("address", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_saved_addresses_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_addresses")),
    )
    op.create_index(
        "ix_saved_addresses_user_id_created_at_id",
        "saved_addresses",
        ["user_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_saved_addresses_default",
        "saved_addresses",
        ["user_id"],
        unique=True,
        postgresql_where=sa.text("is_default"),
    )


def downgrade() -> None:
    op.drop_index("uq_saved_addresses_default", table_name="saved_addresses")
    op.drop_index("ix_saved_addresses_user_id_created_at_id", table_name="saved_addresses")
    op.drop_table("saved_addresses")
