"""user search indexes: `?q=` on users and customers finds part of an email or name

`GET /users?q=` and `GET /customers?q=` match `ILIKE '%text%'` on email and full name; pg_trgm
GIN indexes (the extension comes with the catalogue's migration) answer that without reading
every user, as the products' SKU and name indexes do.

Revision ID: c0570e7e0001
Revises: da5b0a7d0001
Create Date: 2026-12-11 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c0570e7e0001"
down_revision: str | Sequence[str] | None = "da5b0a7d0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_users_email_trgm",
        "users",
        ["email"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"email": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_users_full_name_trgm",
        "users",
        ["full_name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"full_name": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_users_full_name_trgm", table_name="users")
    op.drop_index("ix_users_email_trgm", table_name="users")
