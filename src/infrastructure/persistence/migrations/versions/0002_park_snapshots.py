"""park snapshots

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from costzero.infrastructure.persistence.models import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "park_snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ref_key", sa.String(1024), nullable=False, index=True),
        sa.Column("type_key", sa.String(64), nullable=False),
        sa.Column("account", sa.String(32), nullable=False, index=True),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("resource_id", sa.String(1024), nullable=False),
        sa.Column("name", sa.String(1024), nullable=True),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("taken_at", UtcDateTime(), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
    )
    op.create_index(
        "one_open_snapshot_per_resource",
        "park_snapshots",
        ["ref_key"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("one_open_snapshot_per_resource", "park_snapshots")
    op.drop_table("park_snapshots")
