"""runs record the hourly rate of each resource they act on, for savings and reports

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_costs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("type_key", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(1024), nullable=False),
        sa.Column("name", sa.String(1024), nullable=True),
        sa.Column("account", sa.String(32), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("compute", sa.Float, nullable=False),
        sa.Column("storage", sa.Float, nullable=False),
        sa.Column("known", sa.Boolean, nullable=False),
    )
    op.create_index("ix_run_costs_run_id", "run_costs", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_run_costs_run_id", "run_costs")
    op.drop_table("run_costs")
