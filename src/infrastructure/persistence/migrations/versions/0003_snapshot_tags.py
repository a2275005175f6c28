"""park snapshots keep the resource's tags

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN on SQLite and PostgreSQL alike: the table (and its partial unique index) stays
    op.add_column("park_snapshots", sa.Column("tags", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("park_snapshots") as batch:
        batch.drop_column("tags")
