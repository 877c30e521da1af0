"""Leads: one row per person, with where their number came from and on what consent.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "leads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("name_key", sa.String, nullable=False),
        sa.Column("company", sa.String),
        sa.Column("title", sa.String),
        sa.Column("phone", sa.String),
        sa.Column("phone_e164", sa.String),
        sa.Column("phone_flag", sa.String),
        sa.Column("email", sa.String),
        sa.Column("temperature", sa.String, nullable=False),
        sa.Column("stage", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("source", sa.String),
        sa.Column("context", sa.String),
        sa.Column("consent", sa.String, nullable=False),
        sa.Column("window", sa.String, nullable=False),
        sa.Column("timezone", sa.String),
        sa.Column("notes", sa.String),
        sa.Column("tags", sa.String),
        sa.Column("dnc_at", sa.Integer),
        sa.Column("dnc_reason", sa.String),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.Integer, nullable=False),
    )
    op.create_index("ix_leads_email", "leads", ["email"])
    op.create_index("ix_leads_phone_e164", "leads", ["phone_e164"])
    op.create_index("ix_leads_status", "leads", ["status"])


def downgrade() -> None:
    op.drop_table("leads")
