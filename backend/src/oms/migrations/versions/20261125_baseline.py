"""baseline: the empty OMS schema that every later revision builds on

Revision ID: 5a1f0c3e9b21
Revises:
Create Date: 2026-11-25 12:00:00
"""

from collections.abc import Sequence

revision: str = "5a1f0c3e9b21"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
