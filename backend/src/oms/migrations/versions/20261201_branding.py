"""branding: the shop's look as data, and the images it shows

One row (`id = 1`), created with defaults when first read. Images are addressed by the
SHA-256 of their bytes, so their URLs can be cached for good.

Revision ID: b7c3d5e10002
Revises: b7c3d5e10001
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "b7c3d5e10002"
down_revision: str | Sequence[str] | None = "b7c3d5e10001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "brand_assets",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("content_type", sa.String(50), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    )
    op.create_table(
        "branding",
        sa.Column("id", sa.Integer(), server_default=sa.text("1"), primary_key=True),
        sa.Column("shop_name", sa.String(100), nullable=False),
        sa.Column("primary_colour", sa.String(7), nullable=False),
        sa.Column("accent_colour", sa.String(7), nullable=False),
        sa.Column("support_email", sa.String(320), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("locale", sa.String(35), nullable=False),
        sa.Column("footer_text", sa.String(500), nullable=True),
        sa.Column(
            "legal_links",
            postgresql.JSONB(),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "logo",
            sa.String(64),
            sa.ForeignKey("brand_assets.digest", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column(
            "favicon",
            sa.String(64),
            sa.ForeignKey("brand_assets.digest", ondelete="RESTRICT"),
            nullable=True,
        ),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_by", postgresql.UUID(as_uuid=True), nullable=True),
        sa.CheckConstraint("id = 1", name="single_row"),
    )


def downgrade() -> None:
    op.drop_table("branding")
    op.drop_table("brand_assets")
