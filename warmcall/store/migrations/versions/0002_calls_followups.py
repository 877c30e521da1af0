"""Calls and follow-ups: every touch, and the next step agreed in it.

The (lead_id, at) index makes "last touch of each lead" and "attempts in the last 14 days"
index-only look-ups; an index on lead_id alone would make them slower than none.
"""

import sqlalchemy as sa
from alembic import op

from warmcall.store.migrations.shapes import lead_table

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    lead_table(
        "calls",
        sa.Column("at", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String, nullable=False),
        sa.Column("channel", sa.String, nullable=False),
        sa.Column("duration", sa.Integer),
        sa.Column("notes", sa.String),
        sa.Column("objections", sa.String),
        sa.Column("temperature", sa.String),
        sa.Column("created_at", sa.Integer, nullable=False),
    )
    op.create_index("ix_calls_lead_at", "calls", ["lead_id", "at"])
    lead_table(
        "followups",
        sa.Column("call_id", sa.Integer, sa.ForeignKey("calls.id", ondelete="SET NULL")),
        sa.Column("due_at", sa.Integer, nullable=False),
        sa.Column("has_time", sa.Boolean, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("goal", sa.String),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("done_at", sa.Integer),
        sa.Column("done_call_id", sa.Integer, sa.ForeignKey("calls.id", ondelete="SET NULL")),
        sa.Column("status", sa.String, nullable=False),
    )
    op.create_index("ix_followups_lead_done", "followups", ["lead_id", "done_at"])


def downgrade() -> None:
    op.drop_table("followups")
    op.drop_table("calls")
