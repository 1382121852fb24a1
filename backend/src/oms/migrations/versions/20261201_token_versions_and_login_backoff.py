"""token versions and login back-off: revoking access tokens at once, per-address counters

`users.token_version` is carried in every access token OMS issues; raising it revokes them.
A trigger tells every API replica (NOTIFY `oms_users`, the user id) when a user's tokens may
have lost their rights, so cached answers are dropped within a moment.

Failed logins are now counted per account and client address together: `login_failures`
gets the `account` the counter belongs to. The old per-account counters are dropped: they
locked an account for every address.

Revision ID: 7a0c0e1f0001
Revises: 9a9e0c0e0001
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a0c0e1f0001"
down_revision: str | Sequence[str] | None = "9a9e0c0e0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTIFY_USER_CHANGED = """
CREATE FUNCTION oms_notify_user_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('oms_users', NEW.id::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""

USER_CHANGED_TRIGGER = """
CREATE TRIGGER users_notify_changed
AFTER UPDATE OF token_version, is_active ON users
FOR EACH ROW
WHEN (OLD.token_version IS DISTINCT FROM NEW.token_version
      OR OLD.is_active IS DISTINCT FROM NEW.is_active)
EXECUTE FUNCTION oms_notify_user_changed()
"""


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("token_version", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.execute(NOTIFY_USER_CHANGED)
    op.execute(USER_CHANGED_TRIGGER)
    op.execute("DELETE FROM login_failures WHERE key LIKE 'account:%'")
    op.add_column("login_failures", sa.Column("account", sa.String(length=320), nullable=True))
    op.create_index("ix_login_failures_account", "login_failures", ["account"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_login_failures_account", table_name="login_failures")
    op.execute("DELETE FROM login_failures WHERE account IS NOT NULL")
    op.drop_column("login_failures", "account")
    op.execute("DROP TRIGGER users_notify_changed ON users")
    op.execute("DROP FUNCTION oms_notify_user_changed()")
    op.drop_column("users", "token_version")
